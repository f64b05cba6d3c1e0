using Compression.Abstractions.Data;
using static TorchSharp.torch;

namespace Compression.Plugins.Distillation.Augmentation;

/// <summary>A batch after <see cref="Augmenter.Apply"/>: new tensors, owned by the caller's dispose scope.</summary>
/// <param name="Features">The augmented samples, the shape and type of the input features ([batch, ...sample shape]).</param>
/// <param name="Labels">Their labels, [batch], int64: the input's, except <see cref="LabelledData.NoLabel"/> for a
/// sample that mixup mixed with another.</param>
public sealed record AugmentedBatch(Tensor Features, Tensor Labels);
