using System.Diagnostics;

namespace Compression.EndToEnd.Tests;

/// <summary>The committed JSON schema is what `compress schema` generates, and it accepts the samples' configs.</summary>
public class SchemaTests
{
    private static string SchemaPath => Path.Combine(RepoPaths.Root, "docs", "compression.schema.json");

    [Fact]
    public void The_committed_schema_is_current()
    {
        var outcome = ProcessRunner.Dotnet([RepoPaths.HostDll, "schema"], RepoPaths.Root, TimeSpan.FromMinutes(2));
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.True(
            File.ReadAllText(SchemaPath).ReplaceLineEndings().Trim() == outcome.Output.ReplaceLineEndings().Trim(),
            "docs/compression.schema.json is stale: regenerate it with `dotnet src/Compression.Host/bin/Debug/net10.0/compress.dll schema > docs/compression.schema.json`");
    }

    [Theory]
    [InlineData("MnistClassifier")]
    [InlineData("MnistFewLabels")]
    [InlineData("MnistPruning")]
    [InlineData("FashionMnist")]
    [InlineData("FashionMnistFewLabels")]
    public void A_sample_config_validates_and_a_misspelling_does_not(string sample)
    {
        const string Check = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); config = json.load(open(sys.argv[2]))
            jsonschema.Draft202012Validator.check_schema(schema)
            jsonschema.Draft202012Validator(schema).validate(config)
            config["stages"][0]["settings"]["temprature"] = 1
            errors = list(jsonschema.Draft202012Validator(schema).iter_errors(config))
            sys.exit(0 if errors else 5)
            """;
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Check);
        info.ArgumentList.Add(SchemaPath);
        info.ArgumentList.Add(Path.Combine(RepoPaths.Root, "samples", sample, "compression.json"));
        using var process = Process.Start(info)!;
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode} (apt-get install python3-jsonschema if the module is missing):\n{stderr}");
    }
}
