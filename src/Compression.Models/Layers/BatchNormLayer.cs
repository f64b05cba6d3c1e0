using Compression.Onnx;
using Compression.Onnx.Proto;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary>
/// <c>{"type": "batchnorm"}</c>: batch normalisation of feature vectors or image channels (ONNX
/// BatchNormalization with the running statistics; folded into a conv2d right before it).
/// </summary>
public sealed class BatchNormLayer : LayerType
{
    public override string Name => "batchnorm";

    public override int[] OutputShape(LayerSettings settings, int[] input, string path)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Length is not (1 or 3))
        {
            RequireRank(input, 3, "", path);
        }
        return input;
    }

    public override nn.Module<Tensor, Tensor> CreateModule(LayerSettings settings, int[] input, int[] output)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Length == 3 ? nn.BatchNorm2d(input[0]) : nn.BatchNorm1d(input[0]);
    }

    public override NodeProto? Export(LayerExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        var (weight, bias, mean, variance, eps) = export.Module switch
        {
            BatchNorm2d b => (b.weight!, b.bias!, b.running_mean!, b.running_var!, b.eps),
            BatchNorm1d b => (b.weight!, b.bias!, b.running_mean!, b.running_var!, b.eps),
            _ => throw new InvalidOperationException($"layer {export.Prefix} is not a batch norm"),
        };
        string[] inputs =
        [
            export.Input,
            export.AddTensor("scale", weight),
            export.AddTensor("bias", bias),
            export.AddTensor("mean", mean),
            export.AddTensor("var", variance),
        ];
        return export.Builder.AddNode("BatchNormalization", inputs, [export.Output]).Float("epsilon", (float)eps);
    }

    /// <summary>Scale, shift and the two running statistics per channel.</summary>
    public override double StoredValues(LayerSettings settings, int[] input, int[] output)
    {
        ArgumentNullException.ThrowIfNull(input);
        return 4.0 * input[0];
    }

    /// <summary>Scale and shift; the running statistics are buffers.</summary>
    public override long TrainableParameters(LayerSettings settings, int[] input, int[] output)
    {
        ArgumentNullException.ThrowIfNull(input);
        return 2L * input[0];
    }

    public override ChannelRole PruningRole(LayerSettings settings, int[] input) => ChannelRole.PerChannel;
}
