using System.Text.Json;
using Compression.Models.Spec;
using Compression.Onnx;
using Compression.Onnx.Proto;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary><c>{"type": "linear", "out": 10, "bias": true}</c>: a fully connected layer on feature vectors (ONNX Gemm).</summary>
public sealed class LinearLayer : LayerType
{
    /// <summary>A linear layer's settings.</summary>
    /// <param name="Out">Output features.</param>
    /// <param name="Bias">Whether it adds a bias.</param>
    public sealed record Settings(int Out, bool Bias) : LayerSettings;

    public override string Name => "linear";

    public override IReadOnlyList<string> Fields => ["out", "bias"];

    public override LayerSettings DefaultSettings => new Settings(0, true);

    public override LayerSettings ReadField(LayerSettings settings, string field, JsonElement value, string path, LayerTypes types)
    {
        Settings s = SettingsOf<Settings>(settings);
        return field == "out" ? s with { Out = LayerFields.PositiveInt(value, path) } : s with { Bias = LayerFields.Boolean(value, path) };
    }

    public override LayerSettings Complete(LayerSettings settings, string path) => SettingsOf<Settings>(settings).Out == 0
        ? throw new ModelSpecException(path, $"'{path}' (linear) needs \"out\": the number of output features")
        : settings;

    public override void WriteSettings(LayerSettings settings, LayerJsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        Settings s = SettingsOf<Settings>(settings);
        json.Field("out", s.Out);
        json.Field("bias", s.Bias);
    }

    public override int[] OutputShape(LayerSettings settings, int[] input, string path)
    {
        RequireRank(input, 1, ": add {\"type\": \"flatten\"} before it", path);
        return [SettingsOf<Settings>(settings).Out];
    }

    public override nn.Module<Tensor, Tensor> CreateModule(LayerSettings settings, int[] input, int[] output)
    {
        ArgumentNullException.ThrowIfNull(input);
        Settings s = SettingsOf<Settings>(settings);
        return nn.Linear(input[0], s.Out, hasBias: s.Bias);
    }

    public override NodeProto? Export(LayerExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        return Emit(export.Builder, (Linear)export.Module, export.Input, export.Output, export.Prefix);
    }

    /// <summary>A Gemm of <paramref name="linear"/>'s weights, named <c>{prefix}.weight</c> and <c>{prefix}.bias</c> (a residual projection too).</summary>
    internal static NodeProto Emit(OnnxGraphBuilder builder, Linear linear, string input, string output, string prefix)
    {
        string weight = builder.AddInitializer($"{prefix}.weight", linear.weight!.shape, LayerExport.Values(linear.weight!));
        var inputs = new List<string> { input, weight };
        if (linear.bias is not null)
        {
            inputs.Add(builder.AddInitializer($"{prefix}.bias", linear.bias.shape, LayerExport.Values(linear.bias)));
        }
        return builder.AddNode("Gemm", inputs, [output]).Int("transB", 1);
    }

    public override double StoredValues(LayerSettings settings, int[] input, int[] output)
    {
        ArgumentNullException.ThrowIfNull(input);
        Settings s = SettingsOf<Settings>(settings);
        return ((double)input[0] * s.Out) + (s.Bias ? s.Out : 0);
    }

    public override long MultiplyAdds(LayerSettings settings, int[] input, int[] output)
    {
        ArgumentNullException.ThrowIfNull(input);
        return (long)input[0] * SettingsOf<Settings>(settings).Out;
    }

    public override ChannelRole PruningRole(LayerSettings settings, int[] input) => ChannelRole.Produce;

    public override int? OutputWidth(LayerSettings settings) => SettingsOf<Settings>(settings).Out;

    public override LayerSettings WithOutputWidth(LayerSettings settings, int width) => SettingsOf<Settings>(settings) with { Out = width };

    public override bool HasMaskableWeight => true;
}
