using static TorchSharp.torch;

namespace Compression.Models.Training;

/// <summary>What a run needs beyond its options: the outputs of named layers and modules of its own that train with the model (for the loss), and progress inside epochs.</summary>
public sealed record TrainingExtras
{
    /// <summary>Names of model layers whose outputs each batch carries in <see cref="TrainingBatch.Features"/>.</summary>
    public IReadOnlyCollection<string> Taps { get; init; } = [];

    /// <summary>
    /// Modules the loss trains with the model (a distillation method's adapters): their parameters join the
    /// optimizer and they switch between train and eval mode with the model; they are not part of it.
    /// </summary>
    public IReadOnlyList<nn.Module> Modules { get; init; } = [];

    /// <summary>
    /// Receives a <see cref="BatchReport"/> at most once per <see cref="BatchReportInterval"/> while an epoch is
    /// under way (never for its last batch: the epoch report follows). None when null.
    /// </summary>
    public IProgress<BatchReport>? BatchProgress { get; init; }

    /// <summary>The least time between two <see cref="BatchReport"/>s.</summary>
    public TimeSpan BatchReportInterval { get; init; } = TimeSpan.FromSeconds(15);
}
