using System.Text.Json.Nodes;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// A copy of the sample's compression.json made cheap for tests (a small teacher, one epoch, a short
/// benchmark) and pointing at the vendored data by absolute path, written into a temp folder.
/// </summary>
public static class FastConfig
{
    public static JsonObject Create()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Sample, "compression.json")))!.AsObject();
        config.Remove("$schema");
        // The sample requires a licence for every input; tests that swap in an unlicensed ONNX teacher
        // would stop at CMP6006. Provenance tests set the policy they test.
        config.Remove("licensePolicy");
        config.Remove("baseline"); // the sample's committed baseline belongs to its full config
        var data = config["data"]!.AsObject();
        foreach (string split in new[] { "train", "test" })
        {
            foreach (string file in new[] { "features", "labels" })
            {
                data[split]![file] = Path.Combine(RepoPaths.Sample, data[split]![file]!.GetValue<string>());
            }
        }
        config["teacher"] = JsonNode.Parse("""
            {
              "model": { "input": [1, 28, 28], "layers": [
                { "type": "flatten" }, { "type": "linear", "out": 256 }, { "type": "relu" }, { "type": "linear", "out": 10 } ] },
              "training": { "epochs": 1, "batchSize": 128 }
            }
            """);
        var distill = Stage(config, "distill")["settings"]!.AsObject();
        distill["epochs"] = 1;
        distill["compareWithScratch"] = false;
        distill["repeats"] = 1;
        Stage(config, "benchmark")["settings"] = JsonNode.Parse("""{ "batchSizes": [1, 64], "warmup": 2, "iterations": 10 }""");
        config["budgets"] = JsonNode.Parse("""{ "minAccuracyRetention": 0.5 }""");
        return config;
    }

    /// <summary>The entry of <c>stages</c> with the given name.</summary>
    public static JsonObject Stage(JsonObject config, string name) =>
        config["stages"]!.AsArray().Single(s => s!["stage"]!.GetValue<string>() == name)!.AsObject();

    public static string Write(JsonObject config, string folder)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "compression.json");
        File.WriteAllText(path, config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return path;
    }
}
