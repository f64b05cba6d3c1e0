using static TorchSharp.torch;

namespace Compression.Models;

/// <summary>
/// A layer module with tensors inside it that feature taps may read (an encoder's attention
/// probabilities; <see cref="Layers.LayerType.InnerTaps"/> declares them). During a tapped forward pass
/// it offers each under the layer's name plus its suffix, with its gradients.
/// </summary>
internal interface ITappedModule
{
    /// <summary>The forward pass, calling <paramref name="offer"/> with each inner tensor's suffix and value.</summary>
    Tensor Forward(Tensor input, Action<string, Tensor> offer);
}
