using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Metrics;
using Compression.Abstractions.Stages;
using Compression.Onnx;

namespace AcmeExtensions;

/// <summary>Counts the nodes of the student's ONNX graph: a metric of this plugin's own, which budgets can gate.</summary>
public sealed class GraphNodesStage : Stage<GraphNodesSettings>
{
    public const string Metric = "student.acme.graph_nodes";

    public override string Name => "acme-graph-nodes";

    public override string Description => "Count the student ONNX graph's nodes";

    public override IReadOnlyList<ArtifactKind> Consumes => [ArtifactKind.OnnxModel];

    public override IReadOnlyList<ArtifactKind> Produces => [];

    protected override IEnumerable<MetricDescriptor> ReportedMetrics(GraphNodesSettings settings) =>
        [new(Metric, "nodes", MetricDirection.LowerIsBetter, "student graph nodes") { Format = "N0" }];

    protected override Task<StageResult> RunAsync(StageContext context, GraphNodesSettings settings, CancellationToken cancellationToken)
    {
        var model = OnnxModelFile.Read(context.Input(ArtifactKind.OnnxModel).Path);
        int nodes = model.Graph.Node.Count;
        return Task.FromResult(new StageResult([], [new Metric(Metric, nodes, "nodes")], $"{nodes} nodes in the student's ONNX graph."));
    }
}

/// <summary>No settings yet.</summary>
public sealed class GraphNodesSettings
{
}
