using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary><c>{"type": "maxpool2d", "kernel": 2}</c>: the largest value of each window (ONNX MaxPool).</summary>
public sealed class MaxPool2dLayer : Pool2dLayer
{
    public override string Name => "maxpool2d";

    protected override string OnnxOperator => "MaxPool";

    public override nn.Module<Tensor, Tensor> CreateModule(LayerSettings settings, int[] input, int[] output)
    {
        Settings s = SettingsOf<Settings>(settings);
        return nn.MaxPool2d(s.Kernel, s.Stride);
    }
}
