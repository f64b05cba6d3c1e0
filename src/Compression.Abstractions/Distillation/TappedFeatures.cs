using static TorchSharp.torch;

namespace Compression.Abstractions.Distillation;

/// <summary>One tap's features for a batch.</summary>
/// <param name="Tap">The layer names, as configured.</param>
/// <param name="Student">The student layer's output, [batch, ...], with gradients to the student.</param>
/// <param name="Teacher">The teacher's tensor, [batch, ...], without gradients.</param>
public sealed record TappedFeatures(FeatureTap Tap, Tensor Student, Tensor Teacher);
