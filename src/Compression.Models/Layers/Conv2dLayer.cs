using System.Text.Json;
using Compression.Models.Spec;
using Compression.Onnx;
using Compression.Onnx.Proto;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary>
/// <c>{"type": "conv2d", "out": 8, "kernel": 3, "stride": 1, "padding": 1, "groups": 1, "bias": true}</c>:
/// a 2-D convolution on [channels, height, width] (ONNX Conv); groups = input channels makes it depthwise.
/// A batchnorm right after it is folded into its weights on export.
/// </summary>
public sealed class Conv2dLayer : LayerType
{
    /// <summary>A conv2d layer's settings.</summary>
    /// <param name="Out">Output channels.</param>
    /// <param name="Kernel">Kernel height and width.</param>
    /// <param name="Stride">Stride (1 unless given).</param>
    /// <param name="Padding">Zero padding on each side.</param>
    /// <param name="Groups">Channel groups: 1 is a full convolution, the input's channels a depthwise one.</param>
    /// <param name="Bias">Whether it adds a bias.</param>
    public sealed record Settings(int Out, int Kernel, int Stride, int Padding, int Groups, bool Bias) : LayerSettings;

    public override string Name => "conv2d";

    public override IReadOnlyList<string> Fields => ["out", "kernel", "stride", "padding", "groups", "bias"];

    public override LayerSettings DefaultSettings => new Settings(0, 0, 0, 0, 1, true);

    public override LayerSettings ReadField(LayerSettings settings, string field, JsonElement value, string path, LayerTypes types)
    {
        Settings s = SettingsOf<Settings>(settings);
        return field switch
        {
            "out" => s with { Out = LayerFields.PositiveInt(value, path) },
            "kernel" => s with { Kernel = LayerFields.PositiveInt(value, path) },
            "stride" => s with { Stride = LayerFields.PositiveInt(value, path) },
            "padding" => s with { Padding = LayerFields.NonNegativeInt(value, path) },
            "groups" => s with { Groups = LayerFields.PositiveInt(value, path) },
            _ => s with { Bias = LayerFields.Boolean(value, path) },
        };
    }

    public override LayerSettings Complete(LayerSettings settings, string path)
    {
        Settings s = SettingsOf<Settings>(settings);
        if (s.Out == 0)
        {
            throw new ModelSpecException(path, $"'{path}' (conv2d) needs \"out\": the number of output channels");
        }
        if (s.Kernel == 0)
        {
            throw new ModelSpecException(path, $"'{path}' (conv2d) needs \"kernel\"");
        }
        return s.Stride == 0 ? s with { Stride = 1 } : s;
    }

    public override void WriteSettings(LayerSettings settings, LayerJsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        Settings s = SettingsOf<Settings>(settings);
        json.Field("out", s.Out);
        json.Field("kernel", s.Kernel);
        json.Field("stride", s.Stride);
        json.Field("padding", s.Padding);
        json.Field("groups", s.Groups);
        json.Field("bias", s.Bias);
    }

    public override int[] OutputShape(LayerSettings settings, int[] input, string path)
    {
        Settings s = SettingsOf<Settings>(settings);
        RequireRank(input, 3, " ([channels, height, width])", path);
        if (input[0] % s.Groups != 0 || s.Out % s.Groups != 0)
        {
            throw new ModelSpecException($"{path}.groups",
                $"'{path}.groups' {s.Groups} must divide both the input's {input[0]} channels and \"out\" {s.Out} (depthwise: groups = input channels)");
        }
        return [s.Out, Spatial(input, 1, s.Kernel, s.Stride, s.Padding, path), Spatial(input, 2, s.Kernel, s.Stride, s.Padding, path)];
    }

    /// <summary>The height (<paramref name="dimension"/> 1) or width (2) after a sliding window; throws when the kernel does not fit.</summary>
    internal static int Spatial(int[] input, int dimension, int kernel, int stride, int padding, string path)
    {
        int size = input[dimension];
        int result = ((size + (2 * padding) - kernel) / stride) + 1;
        if (size + (2 * padding) < kernel || result < 1)
        {
            throw new ModelSpecException($"{path}.kernel", $"'{path}.kernel' {kernel} is larger than the {(dimension == 1 ? "height" : "width")} {size} (plus padding) of its input {Show(input)}");
        }
        return result;
    }

    public override nn.Module<Tensor, Tensor> CreateModule(LayerSettings settings, int[] input, int[] output)
    {
        ArgumentNullException.ThrowIfNull(input);
        Settings s = SettingsOf<Settings>(settings);
        return nn.Conv2d(input[0], s.Out, s.Kernel, stride: s.Stride, padding: s.Padding, groups: s.Groups, bias: s.Bias);
    }

    /// <summary>
    /// A Conv node; with a folded batch norm after it (per output channel c, with s = gamma / sqrt(var + eps):
    /// w' = w * s, b' = (b - mean) * s + beta).
    /// </summary>
    public override NodeProto? Export(LayerExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        Settings s = SettingsOf<Settings>(export.Layer.Settings);
        var conv = (Conv2d)export.Module;
        long[] dims = conv.weight!.shape;
        float[] weight = LayerExport.Values(conv.weight!);
        float[]? bias = conv.bias is null ? null : LayerExport.Values(conv.bias);
        if (export.FoldedBatchNorm is BatchNorm2d folded)
        {
            (weight, bias) = Fold(weight, bias, dims[0], LayerExport.Values(folded.weight!), LayerExport.Values(folded.bias!),
                LayerExport.Values(folded.running_mean!), LayerExport.Values(folded.running_var!), folded.eps);
        }
        var inputs = new List<string> { export.Input, export.Builder.AddInitializer($"{export.Prefix}.weight", dims, weight) };
        if (bias is not null)
        {
            inputs.Add(export.Builder.AddInitializer($"{export.Prefix}.bias", [dims[0]], bias));
        }
        return export.Builder.AddNode("Conv", inputs, [export.Output])
            .Ints("kernel_shape", s.Kernel, s.Kernel)
            .Ints("strides", s.Stride, s.Stride)
            .Ints("pads", s.Padding, s.Padding, s.Padding, s.Padding)
            .Int("group", s.Groups);
    }

    private static (float[] Weight, float[] Bias) Fold(float[] weight, float[]? bias, long channels, float[] gamma, float[] beta, float[] mean, float[] variance, double eps)
    {
        var folded = new float[weight.Length];
        var foldedBias = new float[channels];
        int perChannel = (int)(weight.Length / channels);
        for (int c = 0; c < channels; c++)
        {
            double scale = gamma[c] / Math.Sqrt(variance[c] + eps);
            for (int k = 0; k < perChannel; k++)
            {
                folded[(c * perChannel) + k] = (float)(weight[(c * perChannel) + k] * scale);
            }
            foldedBias[c] = (float)((((bias?[c]) ?? 0) - mean[c]) * scale + beta[c]);
        }
        return (folded, foldedBias);
    }

    public override double StoredValues(LayerSettings settings, int[] input, int[] output)
    {
        ArgumentNullException.ThrowIfNull(input);
        Settings s = SettingsOf<Settings>(settings);
        return ((double)input[0] / s.Groups * s.Out * s.Kernel * s.Kernel) + (s.Bias ? s.Out : 0);
    }

    public override long MultiplyAdds(LayerSettings settings, int[] input, int[] output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        Settings s = SettingsOf<Settings>(settings);
        return (long)output[0] * output[1] * output[2] * (input[0] / s.Groups) * s.Kernel * s.Kernel;
    }

    public override ChannelRole PruningRole(LayerSettings settings, int[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Settings s = SettingsOf<Settings>(settings);
        return s.Groups == 1 ? ChannelRole.Produce
            : s.Groups == input[0] && s.Out == input[0] ? ChannelRole.Depthwise
            : ChannelRole.Opaque;
    }

    public override string DescribeOpaque(LayerSettings settings, string path) => $"grouped conv {path} (groups {SettingsOf<Settings>(settings).Groups})";

    public override int? OutputWidth(LayerSettings settings) => SettingsOf<Settings>(settings).Out;

    /// <summary>Fewer output channels; a depthwise conv (the only grouped one pruning touches) keeps one group per channel.</summary>
    public override LayerSettings WithOutputWidth(LayerSettings settings, int width)
    {
        Settings s = SettingsOf<Settings>(settings);
        return s with { Out = width, Groups = s.Groups == 1 ? 1 : width };
    }

    public override bool HasMaskableWeight => true;

    public override bool FoldsBatchNorm => true;
}
