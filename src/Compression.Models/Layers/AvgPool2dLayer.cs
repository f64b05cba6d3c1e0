using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary><c>{"type": "avgpool2d", "kernel": 2}</c>: the mean of each window (ONNX AveragePool).</summary>
public sealed class AvgPool2dLayer : Pool2dLayer
{
    public override string Name => "avgpool2d";

    protected override string OnnxOperator => "AveragePool";

    public override nn.Module<Tensor, Tensor> CreateModule(LayerSettings settings, int[] input, int[] output)
    {
        Settings s = SettingsOf<Settings>(settings);
        return nn.AvgPool2d(s.Kernel, s.Stride);
    }
}
