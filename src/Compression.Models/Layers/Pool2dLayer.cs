using System.Text.Json;
using Compression.Models.Spec;
using Compression.Onnx;
using Compression.Onnx.Proto;

namespace Compression.Models.Layers;

/// <summary>A 2-D pooling window over each channel: <c>kernel</c>, and <c>stride</c> (the kernel unless given).</summary>
public abstract class Pool2dLayer : LayerType
{
    /// <summary>A pooling layer's settings.</summary>
    /// <param name="Kernel">Window height and width.</param>
    /// <param name="Stride">Step between windows.</param>
    public sealed record Settings(int Kernel, int Stride) : LayerSettings;

    /// <summary>The ONNX operator: MaxPool or AveragePool.</summary>
    protected abstract string OnnxOperator { get; }

    public override IReadOnlyList<string> Fields => ["kernel", "stride"];

    public override LayerSettings DefaultSettings => new Settings(0, 0);

    public override LayerSettings ReadField(LayerSettings settings, string field, JsonElement value, string path, LayerTypes types)
    {
        Settings s = SettingsOf<Settings>(settings);
        return field == "kernel" ? s with { Kernel = LayerFields.PositiveInt(value, path) } : s with { Stride = LayerFields.PositiveInt(value, path) };
    }

    public override LayerSettings Complete(LayerSettings settings, string path)
    {
        Settings s = SettingsOf<Settings>(settings);
        if (s.Kernel == 0)
        {
            throw new ModelSpecException(path, $"'{path}' ({Name}) needs \"kernel\"");
        }
        return s.Stride == 0 ? s with { Stride = s.Kernel } : s;
    }

    public override void WriteSettings(LayerSettings settings, LayerJsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        Settings s = SettingsOf<Settings>(settings);
        json.Field("kernel", s.Kernel);
        json.Field("stride", s.Stride);
    }

    public override int[] OutputShape(LayerSettings settings, int[] input, string path)
    {
        Settings s = SettingsOf<Settings>(settings);
        RequireRank(input, 3, " ([channels, height, width])", path);
        return [input[0], Conv2dLayer.Spatial(input, 1, s.Kernel, s.Stride, 0, path), Conv2dLayer.Spatial(input, 2, s.Kernel, s.Stride, 0, path)];
    }

    public override NodeProto? Export(LayerExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        Settings s = SettingsOf<Settings>(export.Layer.Settings);
        return export.Builder.AddNode(OnnxOperator, [export.Input], [export.Output]).Ints("kernel_shape", s.Kernel, s.Kernel).Ints("strides", s.Stride, s.Stride);
    }

    public override ChannelRole PruningRole(LayerSettings settings, int[] input) => ChannelRole.PassThrough;
}
