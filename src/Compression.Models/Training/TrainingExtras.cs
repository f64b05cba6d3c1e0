using static TorchSharp.torch;

namespace Compression.Models.Training;

/// <summary>What a loss needs beyond logits: the outputs of named layers and modules of its own that train with the model.</summary>
public sealed record TrainingExtras
{
    /// <summary>Names of model layers whose outputs each batch carries in <see cref="TrainingBatch.Features"/>.</summary>
    public IReadOnlyCollection<string> Taps { get; init; } = [];

    /// <summary>
    /// Modules the loss trains with the model (a distillation method's adapters): their parameters join the
    /// optimizer and they switch between train and eval mode with the model; they are not part of it.
    /// </summary>
    public IReadOnlyList<nn.Module> Modules { get; init; } = [];
}
