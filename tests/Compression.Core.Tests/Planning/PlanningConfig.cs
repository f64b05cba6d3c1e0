namespace Compression.Core.Tests.Planning;

/// <summary>A compression.json for planning tests, with the files it names (empty: the preflight checks they exist and reads none).</summary>
internal static class PlanningConfig
{
    /// <summary>Writes the config with <paramref name="stagesJson"/> on line 4 and <paramref name="members"/> (e.g. <c>"budgets": {...}</c>) from line 5; returns its path.</summary>
    public static string Write(TempFolder folder, string stagesJson, params string[] members)
    {
        folder.Write("a.csv", "");
        folder.Write("b.csv", "");
        folder.Write("t.onnx", "");
        string rest = string.Concat(members.Select(m => ",\n  " + m));
        return folder.Write("compression.json", $$"""
            {
              "data": { "train": { "path": "a.csv" }, "test": { "path": "b.csv" }, "format": "csv" },
              "teacher": { "onnx": "t.onnx" },
              "stages": {{stagesJson}}{{rest}}
            }
            """);
    }
}
