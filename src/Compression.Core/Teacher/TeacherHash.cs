using Compression.Core.Cache;
using Compression.Onnx;

namespace Compression.Core.Teacher;

/// <summary>
/// The content hash of a teacher ONNX file together with every external-data file it names, so a
/// change to weights stored beside the model re-runs what depends on it instead of serving it stale.
/// </summary>
public static class TeacherHash
{
    public static string Of(string onnxPath)
    {
        IReadOnlyList<string> external = ExternalFiles(onnxPath);
        if (external.Count == 0)
        {
            return ContentHash.OfFile(onnxPath);
        }
        var key = new ContentHash.KeyBuilder().Add("teacher-with-external-data/1").Add(ContentHash.OfFile(onnxPath));
        foreach (string file in external)
        {
            key.Add(Path.GetFileName(file)).Add(File.Exists(file) ? ContentHash.OfFile(file) : "missing");
        }
        return key.Build();
    }

    /// <summary>The external-data files of a model, or none when it cannot be read (its loading reports that).</summary>
    public static IReadOnlyList<string> ExternalFiles(string onnxPath)
    {
        try
        {
            return OnnxModelInfo.ExternalDataFiles(OnnxModelFile.Read(onnxPath), onnxPath);
        }
        catch (OnnxFormatException)
        {
            return [];
        }
    }
}
