using System.ComponentModel.DataAnnotations;
using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Metrics;
using Compression.Abstractions.Stages;

namespace Compression.Core.Tests.Planning;

public sealed class WidgetSettings
{
    [Range(1, 64)]
    public int Sizes { get; set; } = 2;
}

/// <summary>A stage from outside the repository's plugins: it reports a metric of its own, one per size.</summary>
public sealed class WidgetStage : Stage<WidgetSettings>
{
    public override string Name => "widgets";
    public override string Description => "counts widgets";
    public override IReadOnlyList<ArtifactKind> Consumes => [ArtifactKind.OnnxModel];
    public override IReadOnlyList<ArtifactKind> Produces => [];

    protected override IEnumerable<MetricDescriptor> ReportedMetrics(WidgetSettings settings) =>
        Enumerable.Range(1, settings.Sizes).Select(size =>
            new MetricDescriptor($"widgets.latency_ms.size{size}", "ms", MetricDirection.LowerIsBetter, $"widget latency, size {size}") { Format = "0.00" });

    protected override Task<StageResult> RunAsync(StageContext context, WidgetSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult(new StageResult([], [new Metric("widgets.latency_ms.size1", 3.25, "ms")]));
}

public sealed class FragileSettings
{
    public string? Model { get; set; }
}

/// <summary>A third party's stage that cannot describe its metrics without real settings (it throws on the defaults).</summary>
public sealed class FragileStage : Stage<FragileSettings>
{
    public override string Name => "fragile";
    public override string Description => "needs its settings to say what it reports";
    public override IReadOnlyList<ArtifactKind> Consumes => [ArtifactKind.OnnxModel];
    public override IReadOnlyList<ArtifactKind> Produces => [];

    protected override IEnumerable<MetricDescriptor> ReportedMetrics(FragileSettings settings) =>
        [new MetricDescriptor($"fragile.{settings.Model!.ToLowerInvariant()}", "", MetricDirection.Neither, "fragile")];

    protected override Task<StageResult> RunAsync(StageContext context, FragileSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult(new StageResult([], []));
}
