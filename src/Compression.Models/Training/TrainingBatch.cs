using static TorchSharp.torch;

namespace Compression.Models.Training;

/// <summary>One optimisation step's batch as a loss sees it.</summary>
/// <param name="Inputs">The model's input, [batch, ...sample shape], after any augmentation.</param>
/// <param name="Labels">Hard labels, [batch], int64; <c>LabelledData.NoLabel</c> where unknown.</param>
/// <param name="Rows">The batch's rows in the training split.</param>
/// <param name="Step">The optimisation step, from 0: seeds per-step randomness reproducibly.</param>
public sealed record TrainingBatch(Tensor Inputs, Tensor Labels, long[] Rows, long Step)
{
    /// <summary>The outputs of the layers named in <see cref="TrainingExtras.Taps"/>, with gradients; empty without taps.</summary>
    public IReadOnlyDictionary<string, Tensor> Features { get; init; } = new Dictionary<string, Tensor>();

    /// <summary>Where the loss reports its named terms (averaged per epoch); null when nobody listens.</summary>
    public LossTermLog? Terms { get; init; }
}
