using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Metrics;
using Compression.Abstractions.Stages;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Evaluation;
using Compression.Core.Gate;
using Compression.Core.Planning;

namespace Compression.Core.Tests.Planning;

/// <summary>Budgets are checked against the metrics the planned stages describe, before anything runs.</summary>
public class BudgetPreflightTests
{
    private static readonly IStage[] s_stages =
    [
        new FakeStage("export", [], [ArtifactKind.OnnxModel]),
        new WidgetStage(),
        new FragileStage(),
    ];

    /// <summary>The host's services: none, or the metric descriptors plugins registered.</summary>
    private sealed class Services(params MetricDescriptor[] registered) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(IEnumerable<MetricDescriptor>) ? registered : null;
    }

    /// <summary>Plans <paramref name="stagesJson"/> with <paramref name="budgetsJson"/> (on line 5 onwards).</summary>
    private static (PipelinePlan Plan, LoadedConfig Loaded) Build(string stagesJson, string budgetsJson, TempFolder folder, IServiceProvider? services = null)
    {
        string path = PlanningConfig.Write(folder, stagesJson, $"\"budgets\": {budgetsJson}");
        LoadedConfig loaded = ConfigLoader.Load(path);
        return (new PlanBuilder(s_stages, services ?? new Services()).Build(loaded), loaded);
    }

    private static IReadOnlyList<Finding> Fails(string stagesJson, string budgetsJson)
    {
        using var folder = new TempFolder();
        return Assert.Throws<CompressionException>(() => Build(stagesJson, budgetsJson, folder)).Findings;
    }

    private const string WithWidgets = """[{ "stage": "export" }, { "stage": "widgets", "settings": { "sizes": 3 } }]""";

    [Fact]
    public void A_budget_on_a_metric_a_planned_stage_describes_plans()
    {
        using var folder = new TempFolder();
        var (plan, _) = Build(WithWidgets, """{ "metrics": [{ "metric": "widgets.latency_ms.size3", "max": 2 }] }""", folder);
        Assert.Equal(2, plan.Stages.Count);
    }

    [Fact]
    public void A_budget_on_a_metric_a_plugin_registered_outside_any_stage_plans()
    {
        const string Budget = """{ "metrics": [{ "metric": "host.energy_joules", "max": 0.5 }] }""";
        using var folder = new TempFolder();
        var services = new Services(new MetricDescriptor("host.energy_joules", "J", MetricDirection.LowerIsBetter, "energy per sample"));
        var (plan, _) = Build("""[{ "stage": "export" }]""", Budget, folder, services);
        Assert.Single(plan.Stages);
        Assert.Equal(ErrorCodes.UnknownBudgetMetric, Assert.Single(Fails("""[{ "stage": "export" }]""", Budget)).Code);
    }

    [Fact]
    public void An_unknown_metric_is_CMP1030_at_its_name_with_a_suggestion_and_the_plans_metrics()
    {
        var finding = Assert.Single(Fails(WithWidgets, """{ "metrics": [{ "metric": "widgets.latency_ms.size4", "max": 2 }] }"""));
        Assert.Equal(ErrorCodes.UnknownBudgetMetric, finding.Code);
        const string Expected = "'budgets.metrics[0].metric': no planned stage reports a metric 'widgets.latency_ms.size4'; did you mean 'widgets.latency_ms.size1'? The plan reports: ";
        Assert.Equal(Expected, finding.Message[..Math.Min(Expected.Length, finding.Message.Length)]);
        Assert.Contains("student.accuracy, student.ece", finding.Message);
        Assert.Contains("widgets.latency_ms.size3", finding.Message);
        Assert.Equal((5, 40), (finding.Location!.Line, finding.Location.Column));
    }

    [Fact]
    public void A_registered_stage_that_cannot_describe_itself_with_default_settings_does_not_turn_a_config_error_into_a_crash()
    {
        var finding = Assert.Single(Fails("""[{ "stage": "export" }]""", """{ "metrics": [{ "metric": "widgets.latency_ms.size9", "min": 1 }] }"""));
        Assert.Equal(ErrorCodes.UnknownBudgetMetric, finding.Code);
    }

    [Fact]
    public void A_metric_an_unplanned_stage_reports_names_that_stage()
    {
        var finding = Assert.Single(Fails("""[{ "stage": "export" }]""", """{ "metrics": [{ "metric": "widgets.latency_ms.size2", "min": 1 }] }"""));
        Assert.Equal(ErrorCodes.UnknownBudgetMetric, finding.Code);
        Assert.Contains("no planned stage reports a metric 'widgets.latency_ms.size2'; the 'widgets' stage reports it with its default settings.", finding.Message);
    }

    [Fact]
    public void An_entry_without_a_metric_or_a_limit_or_with_min_above_max_is_refused_at_its_place()
    {
        var findings = Fails(WithWidgets, """{ "metrics": [{ "max": 2 }, { "metric": "student.accuracy" }, { "metric": "student.accuracy", "min": 0.9, "max": 0.8 }] }""");
        Assert.Equal([ErrorCodes.MissingField, ErrorCodes.MissingField, ErrorCodes.InvalidValue], findings.Select(f => f.Code));
        Assert.StartsWith("'budgets.metrics[0]' has no \"metric\"", findings[0].Message);
        Assert.StartsWith("'budgets.metrics[1]' has no limit", findings[1].Message);
        Assert.Equal("'budgets.metrics[2]': \"min\" 0.9 is above \"max\" 0.8, so no value can meet it", findings[2].Message);
    }

    [Fact]
    public void A_named_budget_whose_metric_no_planned_stage_reports_keeps_its_message_with_the_metric_added()
    {
        var finding = Assert.Single(Fails("""[{ "stage": "export" }]""", """{ "minSpeedup": 2 }"""));
        Assert.Equal(ErrorCodes.BudgetNeedsMetric, finding.Code);
        Assert.Equal("budget 'minSpeedup' cannot be judged: add a 'benchmark' stage, which measures the speedup over the teacher (it needs the metric 'speedup.batch1', which no planned stage reports)", finding.Message);
        Assert.Equal(5, finding.Location!.Line);
    }

    [Fact]
    public void A_named_budget_on_a_metric_the_evaluation_measures_plans_without_any_stage_measuring_it()
    {
        using var folder = new TempFolder();
        var (plan, _) = Build("""[{ "stage": "export" }]""", """{ "maxEce": 0.05, "maxParams": 1000, "minAccuracyRetention": 0.9 }""", folder);
        Assert.Single(plan.Stages);
    }

    /// <summary>The path the lead's end-to-end test takes: a stage from another assembly reports a new metric, and a budget on it fails the build at the budget's line.</summary>
    [Fact]
    public void A_missed_budget_on_a_plugin_stages_metric_is_CMP3020_at_the_limit_worded_from_its_descriptor()
    {
        using var folder = new TempFolder();
        var (plan, loaded) = Build(WithWidgets, """
            {
                "metrics": [
                  { "metric": "widgets.latency_ms.size1", "max": 2 }
                ]
              }
            """, folder);
        var metrics = new MetricSet();
        metrics.Add(new Metric("widgets.latency_ms.size1", 3.25, "ms"));
        var verdicts = new List<BudgetVerdict>();

        var findings = BudgetEvaluator.Evaluate(loaded.Config.Budgets, metrics, loaded.Locations, verdicts, MetricCatalog.For(plan.Stages, null, new ClassificationEvaluator(), []));

        var finding = Assert.Single(findings);
        Assert.Equal(ErrorCodes.MetricBudgetMissed, finding.Code);
        Assert.Equal("widget latency, size 1 is 3.25 ms, above the budget's maximum 2.00 ms (metric 'widgets.latency_ms.size1', lower is better)", finding.Message);
        Assert.Equal(7, finding.Location!.Line);
        Assert.True(finding.IsBudgetMiss);
        var verdict = Assert.Single(verdicts);
        Assert.Contains("above the budget's maximum 0.0005 ms", BudgetEvaluator.Evaluate(new BudgetsConfig { Metrics = [new() { Metric = "widgets.latency_ms.size1", Max = 0.0005 }] }, metrics, loaded.Locations, null, MetricCatalog.For(plan.Stages, null, new ClassificationEvaluator(), []))[0].Message);
        Assert.Equal(("widgets.latency_ms.size1", "widgets.latency_ms.size1", false, false), (verdict.Budget, verdict.Metric, verdict.AtLeast, verdict.Passed));
    }
}
