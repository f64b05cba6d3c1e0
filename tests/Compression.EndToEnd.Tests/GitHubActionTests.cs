using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// The compress-gate action's script (.github/actions/compress-gate/gate.mjs) run with node as the
/// runner would: GITHUB_STEP_SUMMARY, GITHUB_OUTPUT and GITHUB_WORKSPACE point into a temp folder.
/// </summary>
public class GitHubActionTests
{
    private static string Script => Path.Combine(RepoPaths.Root, ".github", "actions", "compress-gate", "gate.mjs");

    private sealed record Run(ProcessRunner.Outcome Outcome, string Summary, Dictionary<string, string> Outputs);

    private static Run Gate(string workspace, Dictionary<string, string> inputs, TimeSpan? timeout = null)
    {
        string summary = Path.Combine(workspace, "summary.md");
        string output = Path.Combine(workspace, "output.txt");
        File.WriteAllText(summary, "earlier step's summary\n");
        File.WriteAllText(output, "");
        var environment = new Dictionary<string, string>
        {
            ["GITHUB_WORKSPACE"] = workspace,
            ["GITHUB_STEP_SUMMARY"] = summary,
            ["GITHUB_OUTPUT"] = output,
        };
        foreach (var (name, value) in inputs)
        {
            environment[$"INPUT_{name.ToUpperInvariant().Replace('-', '_')}"] = value;
        }
        var outcome = ProcessRunner.Run("node", [Script], workspace, timeout ?? TimeSpan.FromMinutes(1), environment);
        return new Run(outcome, File.ReadAllText(summary), ParseOutputs(File.ReadAllText(output)));
    }

    /// <summary>Reads name=value and name&lt;&lt;DELIMITER ... DELIMITER entries, as the runner does.</summary>
    private static Dictionary<string, string> ParseOutputs(string text)
    {
        var outputs = new Dictionary<string, string>();
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (Regex.Match(lines[i], "^([a-z-]+)<<(.+)$") is { Success: true } heredoc)
            {
                var value = new List<string>();
                for (i++; lines[i] != heredoc.Groups[2].Value; i++)
                {
                    value.Add(lines[i]);
                }
                outputs[heredoc.Groups[1].Value] = string.Join('\n', value);
            }
            else if (lines[i].IndexOf('=', StringComparison.Ordinal) is int eq and > 0)
            {
                outputs[lines[i][..eq]] = lines[i][(eq + 1)..];
            }
        }
        return outputs;
    }

    private static int LineOf(string file, string text) => File.ReadAllLines(file).ToList().FindIndex(l => l.Contains(text, StringComparison.Ordinal)) + 1;

    [Fact]
    public void Building_a_small_app_writes_the_summary_the_outputs_and_an_annotation_at_the_missed_budgets_line()
    {
        string workspace = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));
        try
        {
            // A tiny app like the sample: the task and host from this build, a fast config with a
            // calibrate stage (for the reliability diagram) and an unreachable speedup budget.
            string app = Path.Combine(workspace, "app");
            JsonObject config = FastConfig.Create();
            config["stages"] = new JsonArray(
                FastConfig.Stage(config, "distill").DeepClone(), JsonNode.Parse("""{ "stage": "export" }"""),
                JsonNode.Parse("""{ "stage": "calibrate" }"""), FastConfig.Stage(config, "benchmark").DeepClone());
            config["budgets"] = JsonNode.Parse("""{ "minAccuracyRetention": 0.5, "minSpeedup": 1000 }""");
            string configPath = FastConfig.Write(config, app);
            string bin = Path.Combine(RepoPaths.Root, "src", "{0}", "bin", RepoPaths.Configuration, "net10.0");
            File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <CompressionHostPath>{Path.Combine(string.Format(null, bin, "Compression.Host"), "compress.dll")}</CompressionHostPath>
                    <CompressionTasksAssembly>{Path.Combine(string.Format(null, bin, "Compression.Build"), "Compression.Build.dll")}</CompressionTasksAssembly>
                  </PropertyGroup>
                  <Import Project="{RepoPaths.Root}/src/Compression.Build/build/Compression.Build.props" />
                  <Import Project="{RepoPaths.Root}/src/Compression.Build/build/Compression.Build.targets" />
                </Project>
                """);
            File.WriteAllText(Path.Combine(app, "Program.cs"), "System.Console.WriteLine(\"app\");\n");

            var run = Gate(workspace, new() { ["project"] = "app" }, TimeSpan.FromMinutes(10));

            Assert.True(run.Outcome.ExitCode == 1, run.Outcome.ToString());
            int line = LineOf(configPath, "\"minSpeedup\"");
            int column = File.ReadAllLines(configPath)[line - 1].IndexOf("\"minSpeedup\"", StringComparison.Ordinal) + 1;
            Assert.Matches($@"(?m)^::error file=app/compression\.json,line={line},col={column},title=CMP3004::CMP3004: speedup \d+(\.\d+)?x over the teacher at batch 1 is below the budget 1000x\r?$", run.Outcome.Output);
            // The build log is printed without MSBuild's trailing " [project]", the shape setup-dotnet's
            // problem matchers look for, so the finding is annotated once (by the line above, with its column).
            Assert.Matches($@"(?m)^.*compression\.json\({line},{column}\): error CMP3004: .*below the budget 1000x\r?$", run.Outcome.Output);
            Assert.DoesNotMatch(@"(?m)error CMP3004: .*\]\r?$", run.Outcome.Output);

            Assert.StartsWith("earlier step's summary\n## Compression gate: FAILED\n", run.Summary, StringComparison.Ordinal);
            Assert.Contains("| metric | teacher | student | |", run.Summary);
            Assert.Matches(@"\| test accuracy \| \d+\.\d\d% \| \d+\.\d\d% \| retention \d\.\d{3} \|", run.Summary);
            Assert.Matches(@"\| minAccuracyRetention \| >= 0\.5 \| \d\.\d+ \| passed \|", run.Summary);
            Assert.Matches(@"\| minSpeedup \| >= 1000 \| \d+(\.\d+)? \| \*\*missed\*\* \|", run.Summary);
            Assert.Contains("- **CMP3004** (error) at `app/compression.json:", run.Summary);

            var result = JsonNode.Parse(File.ReadAllText(Path.Combine(app, "obj", "compression", "result.json")))!["metrics"]!;
            Assert.Equal("false", run.Outputs["passed"]);
            Assert.Equal(result["student.accuracy"]!.GetValue<double>(), double.Parse(run.Outputs["accuracy"], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(result["accuracy.retention"]!.GetValue<double>(), double.Parse(run.Outputs["retention"], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(result["speedup.batch1"]!.GetValue<double>(), double.Parse(run.Outputs["speedup"], System.Globalization.CultureInfo.InvariantCulture));
            string[] artifacts = run.Outputs["artifacts"].Split('\n');
            Assert.Contains(artifacts, a => a.EndsWith("/obj/compression/report.md", StringComparison.Ordinal));
            Assert.Contains(artifacts, a => a.EndsWith("/obj/compression/result.json", StringComparison.Ordinal));
            // The diagram beside the report, where report.md links it: the artifact keeps working when moved.
            Assert.Contains(artifacts, a => a.EndsWith("/obj/compression/report-files/calibrate-reliability.svg", StringComparison.Ordinal) && File.Exists(a));
            Assert.Contains("](report-files/calibrate-reliability.svg)", File.ReadAllText(Path.Combine(app, "obj", "compression", "report.md")));
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    [Fact]
    public void A_result_from_elsewhere_is_reported_without_a_build_with_the_baseline_deltas_and_the_ml_bom()
    {
        string workspace = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));
        try
        {
            string work = Path.Combine(workspace, "obj", "compression");
            Directory.CreateDirectory(work);
            File.WriteAllText(Path.Combine(work, "report.md"), "# Compression report: FAILED\n");
            File.WriteAllText(Path.Combine(work, "bom.cdx.json"), "{}");
            string config = Path.Combine(workspace, "compression.json");
            // The fields the script reads, in the shape ResultWriter writes them.
            File.WriteAllText(Path.Combine(work, "result.json"), $$"""
                {
                  "passed": false, "elapsedSeconds": 12.5,
                  "metrics": { "student.accuracy": 0.9321, "accuracy.retention": 0.957, "speedup.batch1": 6.5, "speedup.batch64": 9.1 },
                  "findings": [ { "severity": "error", "code": "CMP3101", "message": "student accuracy 93.21% regressed, 100% sure: a, b", "file": "{{config}}", "line": 70, "column": 5 } ],
                  "budgets": [ { "budget": "minSpeedup", "metric": "speedup.batch1", "limit": 2, "actual": 6.5, "kind": "min", "passed": true, "file": "{{config}}", "line": 60, "column": 5 } ],
                  "baseline": { "path": "{{workspace}}/compression.baseline.json", "status": "compared",
                    "accuracy": { "baseline": 0.9681, "current": 0.9321, "deltaPoints": -3.6, "lowPoints": -4.4, "highPoints": -2.9, "confidence": 0.95, "onlyCurrent": 10, "onlyBaseline": 82, "samples": 2004, "pValue": 1e-12, "tolerancePoints": 0.5, "regressed": true },
                    "size": { "baseline": 21663, "current": 21663, "tolerance": 0.05, "regressed": false },
                    "latency": [ { "batchSize": 1, "baselineMs": 0.15, "currentMs": 0.16, "change": 1.0667, "changeLow": 1.01, "changeHigh": 1.12, "confidence": 0.95, "rounds": 8, "tolerance": 0.1, "verdict": "inconclusive", "regressed": false },
                                 { "batchSize": 64, "baselineMs": 2.5, "currentMs": 2.4, "change": 0.96, "changeLow": 0.94, "changeHigh": 0.98, "confidence": 0.95, "rounds": 8, "tolerance": 0.1, "verdict": "passed", "regressed": false } ] },
                  "summary": { "columns": ["teacher", "student"], "rows": [ { "label": "test accuracy", "values": ["97.36%", "93.21%"], "note": "retention 0.957" } ],
                    "targets": { "columns": ["edge: teacher", "edge: student", "edge: gain"], "rows": [ { "label": "p50 latency, batch 1", "values": ["0.073 ms", "0.012 ms", "6.14x"] } ],
                      "notes": ["edge: ssh pi@edge; linux-arm64 (Arm64, Linux), ONNX Runtime 1.31.1, 1 thread(s), cpu, optimisation all; 11.8 s"] } }
                }
                """);

            var run = Gate(workspace, new() { ["result"] = "obj/compression/result.json", ["speedup-batch"] = "64" });

            Assert.True(run.Outcome.ExitCode == 1, run.Outcome.ToString());
            // Data escapes % and newlines; properties escape : and , as well.
            Assert.Contains("::error file=compression.json,line=70,col=5,title=CMP3101::CMP3101: student accuracy 93.21%25 regressed, 100%25 sure: a, b", run.Outcome.Output);
            Assert.Contains("| test accuracy | 96.81% | 93.21% | -3.60 points (95% CI -4.40..-2.90; McNemar exact over 2004 samples: 10 newly right, 82 newly wrong) | **regression** |", run.Summary);
            Assert.Contains("| ONNX bytes | 21,663 | 21,663 | +0.0% | ok |", run.Summary);
            Assert.Contains("| student latency, batch 1 (ms, timed beside the baseline's model) | 0.15 | 0.16 | 1.07x (CI 1.01x..1.12x over 8 interleaved rounds; tolerance 1.10x) | **inconclusive**: re-run |", run.Summary);
            Assert.Contains("| student latency, batch 64 (ms, timed beside the baseline's model) | 2.5 | 2.4 | 0.96x (CI 0.94x..0.98x over 8 interleaved rounds; tolerance 1.10x) | ok |", run.Summary);
            Assert.Contains("| minSpeedup | >= 2 | 6.5 | passed |", run.Summary);
            // One column group per benchmark target, and where each ran.
            Assert.Contains("### On the benchmark targets\n\n| on target | edge: teacher | edge: student | edge: gain |\n| --- | ---: | ---: | ---: |\n| p50 latency, batch 1 | 0.073 ms | 0.012 ms | 6.14x |\n", run.Summary);
            Assert.Contains("- edge: ssh pi@edge; linux-arm64 (Arm64, Linux), ONNX Runtime 1.31.1, 1 thread(s), cpu, optimisation all; 11.8 s.", run.Summary);
            Assert.Equal(("false", "0.9321", "0.957", "9.1"), (run.Outputs["passed"], run.Outputs["accuracy"], run.Outputs["retention"], run.Outputs["speedup"]));
            Assert.Equal(
                [Path.Combine(work, "result.json"), Path.Combine(work, "report.md"), Path.Combine(work, "bom.cdx.json")],
                run.Outputs["artifacts"].Split('\n'));
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    [Fact]
    public void A_build_that_stops_on_bad_input_is_annotated_from_its_log_not_from_a_stale_result()
    {
        string workspace = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));
        try
        {
            string app = Path.Combine(workspace, "app");
            string work = Path.Combine(app, "obj", "compression");
            Directory.CreateDirectory(work);
            // A previous run's passing result: older than this build, so not its verdict.
            File.WriteAllText(Path.Combine(work, "result.json"), """{ "passed": true, "metrics": { "student.accuracy": 0.99 }, "findings": [] }""");
            File.SetLastWriteTimeUtc(Path.Combine(work, "result.json"), DateTime.UtcNow.AddHours(-1));
            File.WriteAllText(Path.Combine(app, "App.csproj"), "<Project />");
            // Stands in for dotnet: prints what MSBuild prints for compress's exit 2, and fails.
            string dotnet = Path.Combine(workspace, "fake-dotnet");
            File.WriteAllText(dotnet, $"""
                #!/bin/sh
                echo "  Determining projects to restore..."
                echo "{app}/compression.json(12,7): error CMP2002: data file not found: data/x.gz [{app}/App.csproj]"
                echo "Build FAILED."
                exit 1
                """);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(dotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var run = Gate(workspace, new() { ["project"] = "app/App.csproj", ["dotnet"] = dotnet });

            Assert.True(run.Outcome.ExitCode == 1, run.Outcome.ToString());
            Assert.Contains("::error file=app/compression.json,line=12,col=7,title=CMP2002::CMP2002: data file not found: data/x.gz\n", run.Outcome.Output);
            Assert.Contains($"{app}/compression.json(12,7): error CMP2002: data file not found: data/x.gz\n", run.Outcome.Output);
            Assert.Contains("::group::dotnet build ", run.Outcome.Output);
            Assert.Equal(("false", "", ""), (run.Outputs["passed"], run.Outputs["accuracy"], run.Outputs["artifacts"]));
            Assert.Contains("## Compression gate: FAILED", run.Summary);
            Assert.Contains("- **CMP2002** (error) at `app/compression.json:12`: data file not found: data/x.gz", run.Summary);
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    [Fact]
    public void Findings_come_from_the_findings_sarif_compress_wrote_for_this_build_and_a_stale_one_is_ignored()
    {
        string workspace = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));
        try
        {
            string app = Path.Combine(workspace, "app");
            string work = Path.Combine(app, "obj", "compression");
            Directory.CreateDirectory(work);
            File.WriteAllText(Path.Combine(app, "App.csproj"), "<Project />");
            string sarif = $$"""
                { "version": "2.1.0", "runs": [ { "tool": { "driver": { "name": "compress" } }, "results": [
                  { "ruleId": "CMP2002", "level": "error", "message": { "text": "from findings.sarif" },
                    "locations": [ { "physicalLocation": { "artifactLocation": { "uri": "{{new Uri(Path.Combine(app, "compression.json")).AbsoluteUri}}" }, "region": { "startLine": 12, "startColumn": 7 } } } ] } ] } ] }
                """;
            File.WriteAllText(Path.Combine(workspace, "findings.sarif"), sarif);
            // Stands in for dotnet: compress wrote findings.sarif, and MSBuild printed its own line.
            string dotnet = Path.Combine(workspace, "fake-dotnet");
            File.WriteAllText(dotnet, $"""
                #!/bin/sh
                cp "{workspace}/findings.sarif" "{work}/findings.sarif"
                echo "{app}/compression.json(12,7): error CMP2002: from the log [{app}/App.csproj]"
                exit 1
                """);
            MakeExecutable(dotnet);

            var run = Gate(workspace, new() { ["project"] = "app/App.csproj", ["dotnet"] = dotnet });

            Assert.True(run.Outcome.ExitCode == 1, run.Outcome.ToString());
            Assert.Contains("::error file=app/compression.json,line=12,col=7,title=CMP2002::CMP2002: from findings.sarif\n", run.Outcome.Output);
            Assert.DoesNotContain("::CMP2002: from the log", run.Outcome.Output);

            // A findings.sarif older than the build is an earlier run's: the log is this build's word.
            File.WriteAllText(dotnet, $"""
                #!/bin/sh
                echo "{app}/compression.json(12,7): error CMP2002: from the log [{app}/App.csproj]"
                exit 1
                """);
            MakeExecutable(dotnet);
            File.SetLastWriteTimeUtc(Path.Combine(work, "findings.sarif"), DateTime.UtcNow.AddHours(-1));
            run = Gate(workspace, new() { ["project"] = "app/App.csproj", ["dotnet"] = dotnet });
            Assert.Contains("::CMP2002: from the log\n", run.Outcome.Output);
            Assert.DoesNotContain("from findings.sarif", run.Outcome.Output);
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    private static void MakeExecutable(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
