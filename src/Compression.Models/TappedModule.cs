using static TorchSharp.torch;

namespace Compression.Models;

/// <summary>Runs one layer's module, recording what a tapped forward pass asks for inside it.</summary>
internal static class TappedModule
{
    public static Tensor Forward(nn.Module<Tensor, Tensor> module, Tensor input, string? layerName, FeatureRecorder? recorder) => module switch
    {
        ResidualBlock block => block.Run(input, recorder),
        ITappedModule tapped when recorder is not null && layerName is not null => tapped.Forward(input, (suffix, tensor) => recorder.Offer(layerName + suffix, tensor)),
        _ => module.forward(input),
    };
}
