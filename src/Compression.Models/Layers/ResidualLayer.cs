using System.Text.Json;
using Compression.Models.Export;
using Compression.Models.Pruning;
using Compression.Models.Spec;
using Compression.Onnx;
using Compression.Onnx.Proto;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary>
/// <c>{"type": "residual", "layers": [...]}</c>: its body's output plus its input (He et al. 2016), the input
/// passing through a projection (<see cref="ResidualShortcut"/>) when the shapes differ; exported as the
/// body's nodes, the shortcut and an Add.
/// </summary>
public sealed class ResidualLayer : LayerType
{
    /// <summary>A residual block's settings.</summary>
    /// <param name="Layers">The block's body.</param>
    public sealed record Settings(IReadOnlyList<LayerSpec> Layers) : LayerSettings
    {
        public override IReadOnlyList<LayerSpec> Body => Layers;

        public override LayerSettings WithBody(IReadOnlyList<LayerSpec> body) => this with { Layers = body };
    }

    public override string Name => "residual";

    public override IReadOnlyList<string> Fields => ["layers"];

    public override LayerSettings DefaultSettings => new Settings([]);

    public override LayerSettings ReadField(LayerSettings settings, string field, JsonElement value, string path, LayerTypes types)
    {
        ArgumentNullException.ThrowIfNull(types);
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            throw new ModelSpecException(path, $"'{path}' must be a non-empty array of layers: the block's body");
        }
        return new Settings([.. SettingsOf<Settings>(settings).Layers, .. value.EnumerateArray().Select((l, j) => types.ParseLayer(l, $"{path}[{j}]"))]);
    }

    public override LayerSettings Complete(LayerSettings settings, string path) => SettingsOf<Settings>(settings).Layers.Count == 0
        ? throw new ModelSpecException(path, $"'{path}' (residual) needs \"layers\": the block's body, whose output is added to its input")
        : settings;

    public override void WriteSettings(LayerSettings settings, LayerJsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.Layers("layers", SettingsOf<Settings>(settings).Layers);
    }

    public override int[] OutputShape(LayerSettings settings, int[] input, string path)
    {
        int[] output = SpecShapes.Infer(input, SettingsOf<Settings>(settings).Layers, path)[^1];
        if (ResidualShortcut.Between(input, output) is null)
        {
            throw new ModelSpecException($"{path}.layers",
                $"'{path}' (residual): its body turns {Show(input)} into {Show(output)}, which cannot be added to its input: keep the rank, and for images a size a 1x1 convolution with some stride reaches");
        }
        return output;
    }

    /// <summary>The body's modules first, then the projection: the order the seeded weights are drawn in.</summary>
    public override nn.Module<Tensor, Tensor> CreateModule(LayerSettings settings, int[] input, int[] output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        IReadOnlyList<LayerSpec> layers = SettingsOf<Settings>(settings).Layers;
        var body = ModelFactory.Modules(layers, input);
        ResidualShortcut shortcut = ResidualShortcut.Between(input, output)!;
        nn.Module<Tensor, Tensor>? projection = shortcut.Kind switch
        {
            "linear" => nn.Linear(input[0], output[0], hasBias: false),
            "conv" => nn.Conv2d(input[0], output[0], 1, stride: shortcut.Stride, bias: false),
            _ => null,
        };
        return new ResidualBlock(layers, body, projection);
    }

    /// <summary>The body's nodes, the shortcut (a bias-free Gemm or 1x1 Conv when shapes differ) and an Add.</summary>
    public override NodeProto? Export(LayerExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        var block = (ResidualBlock)export.Module;
        string prefix = export.Prefix;
        NodeProto? bodyLast = null;
        string body = OnnxExporter.EmitLayers(export.Builder, SettingsOf<Settings>(export.Layer.Settings).Layers, block.Body, export.InputShape, export.Input, $"{prefix}_", ref bodyLast);
        string shortcut = export.Input;
        switch (block.Projection)
        {
            case Linear linear:
                shortcut = export.Builder.UniqueName($"{prefix}_projection");
                LinearLayer.Emit(export.Builder, linear, export.Input, shortcut, $"{prefix}.projection");
                break;
            case Conv2d conv:
                shortcut = export.Builder.UniqueName($"{prefix}_projection");
                int stride = (int)conv.stride[0];
                export.Builder.AddNode("Conv", [export.Input, export.Builder.AddInitializer($"{prefix}.projection.weight", conv.weight!.shape, LayerExport.Values(conv.weight!))], [shortcut])
                    .Ints("kernel_shape", 1, 1).Ints("strides", stride, stride);
                break;
        }
        return export.Builder.AddNode("Add", [body, shortcut], [export.Output]);
    }

    /// <summary>The projection's weights (the body's layers count for themselves).</summary>
    public override double StoredValues(LayerSettings settings, int[] input, int[] output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        return ResidualShortcut.Between(input, output)?.Kind is "linear" or "conv" ? (double)input[0] * output[0] : 0;
    }

    public override long TrainableParameters(LayerSettings settings, int[] input, int[] output) =>
        SpecCost.Parameters(SettingsOf<Settings>(settings).Layers, input) + (long)StoredValues(settings, input, output);

    public override long MultiplyAdds(LayerSettings settings, int[] input, int[] output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        long projection = ResidualShortcut.Between(input, output)?.Kind switch
        {
            "linear" => (long)input[0] * output[0],
            "conv" => (long)input[0] * output[0] * output[1] * output[2],
            _ => 0,
        };
        return SpecCost.Flops(SettingsOf<Settings>(settings).Layers, input) + projection;
    }

    public override ChannelRole PruningRole(LayerSettings settings, int[] input) => ChannelRole.Residual;
}
