using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Data;
using Compression.Abstractions.Evaluation;
using Compression.Abstractions.Metrics;
using Compression.Abstractions.Stages;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Evaluation;
using Compression.Core.Planning;
using Compression.Core.Tests.Planning;

namespace Compression.Core.Tests.Evaluation;

/// <summary>The config's task chooses the evaluator; a plugin adds one by registering an <see cref="IModelEvaluator"/>.</summary>
public class EvaluatorRegistryTests
{
    /// <summary>An evaluator a plugin would add.</summary>
    private sealed class RankingEvaluator : IModelEvaluator
    {
        public string Task => "ranking";

        public IReadOnlyList<MetricDescriptor> Metrics { get; } =
            [new("student.ndcg_at_10", "", MetricDirection.HigherIsBetter, "student nDCG@10") { Format = "0.000" }];

        public Task<ModelEvaluation> EvaluateAsync(ITeacher teacher, string studentOnnxPath, DataSplits data, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("not run in planning tests");
    }

    private sealed class Services(params IModelEvaluator[] evaluators) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(IEnumerable<IModelEvaluator>) ? evaluators : null;
    }

    private static PipelinePlan Build(string task, string budgetsJson, IServiceProvider services)
    {
        using var folder = new TempFolder();
        string path = PlanningConfig.Write(folder, """[{ "stage": "export" }]""", $"\"task\": \"{task}\"", $"\"budgets\": {budgetsJson}");
        return new PlanBuilder([new FakeStage("export", [], [ArtifactKind.OnnxModel])], services).Build(ConfigLoader.Load(path));
    }

    [Fact]
    public void Classification_is_built_in_and_the_default_task()
    {
        Assert.Equal("classification", new CompressionConfig().Task);
        Assert.IsType<ClassificationEvaluator>(EvaluatorRegistry.From(null).Find("Classification"));
    }

    [Fact]
    public void Embedding_is_built_in_and_describes_the_metrics_its_budgets_judge()
    {
        IModelEvaluator embedding = Assert.IsType<Compression.Core.Evaluation.EmbeddingEvaluator>(EvaluatorRegistry.From(null).Find("embedding"));
        var catalog = Compression.Core.Gate.MetricCatalog.For([], null, embedding, []);
        Assert.Equal(MetricDirection.HigherIsBetter, catalog.Find("student.recall_at_10_retention")!.Direction);
        Assert.NotNull(catalog.Find("student.cosine_to_teacher"));
        Assert.NotNull(catalog.Find("teacher.recall_at_10"));
    }

    [Fact]
    public void A_plugins_evaluator_is_chosen_by_its_task_and_budgets_on_its_metrics_plan()
    {
        var plan = Build("ranking", """{ "metrics": [{ "metric": "student.ndcg_at_10", "min": 0.9 }] }""", new Services(new RankingEvaluator()));
        Assert.Single(plan.Stages);
    }

    [Fact]
    public void A_budget_on_another_tasks_metric_is_refused()
    {
        var error = Assert.Throws<CompressionException>(() => Build("ranking", """{ "minAccuracyRetention": 0.9 }""", new Services(new RankingEvaluator())));
        var finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.BudgetNeedsMetric, finding.Code);
        Assert.Equal("budget 'minAccuracyRetention' cannot be judged: the task 'ranking' does not measure it (it needs the metric 'accuracy.retention', which no planned stage reports)", finding.Message);
    }

    [Fact]
    public void An_unknown_task_is_CMP1031_at_its_value_with_the_known_tasks()
    {
        var error = Assert.Throws<CompressionException>(() => Build("rankng", """{ "minAccuracyRetention": 0.9 }""", new Services(new RankingEvaluator())));
        var finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.UnknownTask, finding.Code);
        Assert.Equal("unknown task 'rankng'; did you mean 'ranking'? Known tasks: classification, embedding, ranking (a plugin adds one by registering an IModelEvaluator)", finding.Message);
        Assert.Equal((5, 11), (finding.Location!.Line, finding.Location.Column));
    }

    [Fact]
    public void Two_evaluators_for_one_task_are_a_plugin_error_naming_both()
    {
        var error = Assert.Throws<CompressionException>(() => EvaluatorRegistry.From(new Services(new RankingEvaluator(), new RankingEvaluator())));
        var finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.PluginLoad, finding.Code);
        Assert.StartsWith("two evaluators for the task 'ranking': ", finding.Message);
    }
}
