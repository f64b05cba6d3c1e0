using System.Text.Json.Nodes;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// findings.sarif: every outcome of <c>compress run</c> writes it, it validates against the official
/// SARIF 2.1.0 schema (tools/sarif-validate, Microsoft's copy of the schema, ajv), and it holds the
/// same codes, files, lines and columns as the console.
/// </summary>
public sealed class SarifTests : IDisposable
{
    private static readonly NpmValidator s_validator = new("sarif-validate", "@microsoft/jest-sarif");
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private (ProcessRunner.Outcome Outcome, JsonNode Sarif, string Path) Run(JsonObject config, params string[] extra)
    {
        string configPath = FastConfig.Write(config, _folder);
        string work = Path.Combine(_folder, "work");
        var outcome = ProcessRunner.Dotnet([RepoPaths.HostDll, "run", configPath, "--work-dir", work, .. extra], _folder, TimeSpan.FromMinutes(10));
        string sarif = Path.Combine(work, "findings.sarif");
        Assert.True(File.Exists(sarif), outcome.ToString());
        s_validator.AssertValid(sarif);
        return (outcome, JsonNode.Parse(File.ReadAllText(sarif))!, configPath);
    }

    [Fact]
    public void A_missed_budget_a_bad_input_and_a_pass_each_write_valid_sarif_with_the_consoles_codes_and_locations()
    {
        JsonObject config = FastConfig.Create();
        config["stages"] = new JsonArray(FastConfig.Stage(config, "distill").DeepClone(), JsonNode.Parse("""{ "stage": "export" }"""));
        config["budgets"] = JsonNode.Parse("""{ "minAccuracyRetention": 1.5 }""");

        var (missed, sarif, configPath) = Run(config);
        Assert.True(missed.ExitCode == 1, missed.ToString());
        JsonNode result = sarif["runs"]![0]!["results"]!.AsArray().Single(r => r!["ruleId"]!.GetValue<string>() == "CMP3001")!;
        JsonNode region = result["locations"]![0]!["physicalLocation"]!["region"]!;
        Assert.Equal("error", result["level"]!.GetValue<string>());
        Assert.Equal(new Uri(configPath).AbsoluteUri, result["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]!.GetValue<string>());
        int line = region["startLine"]!.GetValue<int>();
        int column = region["startColumn"]!.GetValue<int>();
        Assert.Contains($"{configPath}({line},{column}): error CMP3001: {result["message"]!["text"]!.GetValue<string>()}", missed.Output);
        Assert.Equal(1, sarif["runs"]![0]!["invocations"]![0]!["exitCode"]!.GetValue<int>());

        var (warned, warnedSarif, _) = Run(config, "--warn-only");
        Assert.True(warned.ExitCode == 0, warned.ToString());
        Assert.Equal("warning", warnedSarif["runs"]![0]!["results"]!.AsArray().Single(r => r!["ruleId"]!.GetValue<string>() == "CMP3001")!["level"]!.GetValue<string>());

        config["seed"] = "forty-two";
        var (bad, badSarif, _) = Run(config);
        Assert.True(bad.ExitCode == 2, bad.ToString());
        Assert.Equal(["CMP1004"], badSarif["runs"]![0]!["results"]!.AsArray().Select(r => r!["ruleId"]!.GetValue<string>()));
        Assert.Equal(2, badSarif["runs"]![0]!["invocations"]![0]!["exitCode"]!.GetValue<int>());

        config["seed"] = 42;
        config["budgets"] = JsonNode.Parse("""{ "minAccuracyRetention": 0.5 }""");
        var (passed, passedSarif, _) = Run(config);
        Assert.True(passed.ExitCode == 0, passed.ToString());
        Assert.Empty(passedSarif["runs"]![0]!["results"]!.AsArray());
    }
}
