using System.ComponentModel.DataAnnotations;
using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Stages;

namespace Compression.Core.Tests.Planning;

public sealed class TrainSettings
{
    [Range(0.001, 100, ErrorMessage = "must be in [0.001, 100]")]
    public double Temperature { get; set; } = 4;

    public int Epochs { get; set; } = 3;
}

public sealed class FakeTrainStage : Stage<TrainSettings>
{
    public override string Name => "distill";
    public override string Description => "fake";
    public override IReadOnlyList<ArtifactKind> Consumes => [];
    public override IReadOnlyList<ArtifactKind> Produces => [ArtifactKind.TorchModel];

    protected override IEnumerable<SettingsError> Validate(TrainSettings settings, IServiceProvider services)
    {
        if (settings.Epochs < 1)
        {
            yield return new SettingsError("epochs", $"must be at least 1, got {settings.Epochs}");
        }
    }

    protected override Task<StageResult> RunAsync(StageContext context, TrainSettings settings, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("not run in planning tests");
}

public sealed class EmptySettings;

public sealed class FakeStage(string name, ArtifactKind[] consumes, ArtifactKind[] produces) : Stage<EmptySettings>
{
    public override string Name => name;
    public override string Description => "fake";
    public override IReadOnlyList<ArtifactKind> Consumes => consumes;
    public override IReadOnlyList<ArtifactKind> Produces => produces;

    protected override Task<StageResult> RunAsync(StageContext context, EmptySettings settings, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("not run in planning tests");
}

/// <summary>Like prune: makes a torch model, or an ONNX model when it is given only an ONNX model.</summary>
public sealed class FakeModelFollowingStage(string name) : Stage<EmptySettings>
{
    public override string Name => name;
    public override string Description => "fake";
    public override IReadOnlyList<ArtifactKind> Consumes => [];
    public override IReadOnlyList<ArtifactKind> Produces => [ArtifactKind.TorchModel];

    public override IReadOnlyList<ArtifactKind> ProducesFrom(IReadOnlySet<ArtifactKind> available) =>
        available.Contains(ArtifactKind.OnnxModel) && !available.Contains(ArtifactKind.TorchModel) ? [ArtifactKind.OnnxModel] : Produces;

    protected override Task<StageResult> RunAsync(StageContext context, EmptySettings settings, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("not run in planning tests");
}
