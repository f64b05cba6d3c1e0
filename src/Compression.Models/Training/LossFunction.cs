using static TorchSharp.torch;

namespace Compression.Models.Training;

/// <summary>
/// The training loss of one batch: a scalar with gradients to the model. The batch carries its
/// inputs (after any augmentation, so an online teacher can see what the student saw) and its rows in
/// the training split (so an offline distillation loss can look up cached teacher logits).
/// </summary>
public delegate Tensor LossFunction(Tensor logits, TrainingBatch batch);
