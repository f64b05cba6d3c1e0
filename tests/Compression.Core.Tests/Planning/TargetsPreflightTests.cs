using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Planning;

namespace Compression.Core.Tests.Planning;

/// <summary>Targets and their budgets are checked before anything runs, each problem at its line.</summary>
public class TargetsPreflightTests
{
    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }

    private static IReadOnlyList<Finding> Findings(string targetsJson, string budgetsJson = "{}")
    {
        using var folder = new TempFolder();
        folder.Write("key", "");
        string path = PlanningConfig.Write(folder, """[{ "stage": "export" }]""", $"\"targets\": {targetsJson}", $"\"budgets\": {budgetsJson}");
        try
        {
            new PlanBuilder([new FakeStage("export", [], [Abstractions.Artifacts.ArtifactKind.OnnxModel])], new NoServices()).Build(ConfigLoader.Load(path));
            return [];
        }
        catch (CompressionException ex)
        {
            return ex.Findings;
        }
    }

    [Fact]
    public void A_local_an_ssh_and_a_command_target_with_their_budgets_plan()
    {
        Assert.Empty(Findings("""
            [{ "name": "here", "intraOpThreads": 2 }, { "name": "edge", "kind": "ssh", "host": "pi", "identityFile": "key" },
             { "name": "lab", "kind": "command", "command": ["./run.sh"], "rid": "linux-arm64" }]
            """, """{ "targets": { "edge": { "maxP95LatencyMs": 5, "minSpeedup": 2 } }, "metrics": [{ "metric": "lab.student.latency.p50_ms.batch64", "max": 9 }] }"""));
    }

    [Theory]
    [InlineData("""[{ "kind": "local" }]""", ErrorCodes.MissingField, "'targets[0]' has no \"name\"")]
    [InlineData("""[{ "name": "9x" }]""", ErrorCodes.InvalidValue, "'targets[0].name': expected letters")]
    [InlineData("""[{ "name": "a" }, { "name": "A" }]""", ErrorCodes.InvalidValue, "'targets[1].name': another target is already called \"A\"")]
    [InlineData("""[{ "name": "student" }]""", ErrorCodes.InvalidValue, "begins other metrics' names")]
    [InlineData("""[{ "name": "a", "kind": "adb" }]""", ErrorCodes.InvalidValue, "'targets[0].kind': expected one of local, ssh, command")]
    [InlineData("""[{ "name": "a", "kind": "ssh" }]""", ErrorCodes.MissingField, "ssh target with no \"host\"")]
    [InlineData("""[{ "name": "a", "kind": "ssh", "host": "-oProxyCommand=x" }]""", ErrorCodes.InvalidValue, "not starting with '-'")]
    [InlineData("""[{ "name": "a", "kind": "ssh", "host": "h", "identityFile": "nope" }]""", ErrorCodes.DataNotFound, "'targets[0].identityFile': no file at")]
    [InlineData("""[{ "name": "a", "host": "h" }]""", ErrorCodes.InvalidValue, "only an ssh target takes \"host\"")]
    [InlineData("""[{ "name": "a", "kind": "command" }]""", ErrorCodes.MissingField, "command target with no \"command\"")]
    [InlineData("""[{ "name": "a", "rid": "win-x64" }]""", ErrorCodes.InvalidValue, "'targets[0].rid': expected linux-x64 or linux-arm64")]
    [InlineData("""[{ "name": "a", "graphOptimization": "max" }]""", ErrorCodes.InvalidValue, "'targets[0].graphOptimization'")]
    [InlineData("""[{ "name": "a", "batchSizes": [0] }]""", ErrorCodes.InvalidValue, "'targets[0].batchSizes[0]'")]
    [InlineData("""[{ "name": "a", "intraOpThreads": 0 }]""", ErrorCodes.InvalidValue, "'targets[0].intraOpThreads'")]
    [InlineData("""[{ "name": "a", "hots": "x" }]""", ErrorCodes.UnknownField, "unknown field 'hots' in 'targets[0]'; did you mean 'host'?")]
    public void A_target_that_cannot_run_is_refused_at_its_field(string targets, string code, string message)
    {
        Finding finding = Assert.Single(Findings(targets));
        Assert.Equal(code, finding.Code);
        Assert.Contains(message, finding.Message);
        Assert.Equal(5, finding.Location!.Line);
    }

    [Theory]
    [InlineData("""{ "targets": { "egde": { "maxP95LatencyMs": 5 } } }""", ErrorCodes.InvalidValue, "no target is called \"egde\" (declared: edge)")]
    [InlineData("""{ "targets": { "edge": { "maxP95LatencyMs": 5, "latencyBatchSize": 8 } } }""", ErrorCodes.BudgetNeedsMetric, "batch 8 (latencyBatchSize), which target 'edge' does not measure")]
    [InlineData("""{ "targets": { "edge": { "maxP95Latency": 5 } } }""", ErrorCodes.UnknownField, "unknown field 'maxP95Latency' in 'budgets.targets.edge'")]
    [InlineData("""{ "targets": { "edge": { "minSpeedup": -1 } } }""", ErrorCodes.InvalidValue, "'budgets.targets.edge.minSpeedup': must be between 0 and 1e9")]
    [InlineData("""{ "metrics": [{ "metric": "edge.student.latency.p50_ms.batch3", "max": 1 }] }""", ErrorCodes.UnknownBudgetMetric, "edge.student.latency.p50_ms.batch1")]
    public void A_targets_budget_that_cannot_be_judged_is_refused(string budgets, string code, string message)
    {
        Finding finding = Assert.Single(Findings("""[{ "name": "edge", "batchSizes": [1] }]""", budgets));
        Assert.Equal(code, finding.Code);
        Assert.Contains(message, finding.Message);
        Assert.Equal(6, finding.Location!.Line);
    }
}
