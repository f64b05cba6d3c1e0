using static TorchSharp.torch;

namespace Compression.Models.Training;

/// <summary>
/// Changes a training batch before the forward pass (data augmentation): returns new inputs and
/// labels of the same shapes, deterministic in <paramref name="step"/> for a reproducible run.
/// </summary>
public delegate (Tensor Inputs, Tensor Labels) BatchTransform(Tensor inputs, Tensor labels, long step);
