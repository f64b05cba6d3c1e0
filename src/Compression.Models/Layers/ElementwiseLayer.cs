using Compression.Onnx.Proto;
using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary>A layer without settings or parameters that maps each value on its own (activations): same shape, channel by channel.</summary>
public abstract class ElementwiseLayer : LayerType
{
    public override ChannelRole PruningRole(LayerSettings settings, int[] input) => ChannelRole.PassThrough;
}
