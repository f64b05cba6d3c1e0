using static TorchSharp.torch;

namespace Compression.Models.Training;

/// <summary>
/// The training loss of one batch: a scalar with gradients to the model. <paramref name="sampleIndices"/>
/// are the batch's rows in the training split, so a distillation loss can look up teacher logits.
/// </summary>
public delegate Tensor LossFunction(Tensor logits, Tensor labels, long[] sampleIndices);
