using static TorchSharp.torch;

namespace Compression.Models.Training;

/// <summary>Standard losses as <see cref="LossFunction"/>s.</summary>
public static class Losses
{
    /// <summary>Cross entropy against the hard labels.</summary>
    public static LossFunction CrossEntropy { get; } = (logits, batch) => nn.functional.cross_entropy(logits, batch.Labels);
}
