using System.Text.Json;
using Compression.Models;
using Compression.Models.Layers;
using Compression.Models.Spec;
using Compression.Onnx.Proto;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ScaleLayerPlugin;

/// <summary>
/// A layer kind defined outside Compression.Models, as a plugin would: <c>{"type": "scale", "init": 1.0}</c>,
/// y = x * s with one learned s per channel, exported as a Mul by the scales.
/// </summary>
public sealed class ScaleLayer : LayerType
{
    /// <summary>A scale layer's settings.</summary>
    /// <param name="Init">The value every scale starts at.</param>
    public sealed record Settings(double Init) : LayerSettings;

    public override string Name => "scale";

    public override IReadOnlyList<string> Fields => ["init"];

    public override LayerSettings DefaultSettings => new Settings(1.0);

    public override LayerSettings ReadField(LayerSettings settings, string field, JsonElement value, string path, LayerTypes types)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new ModelSpecException(path, $"'{path}' must be a number");
        }
        return new Settings(value.GetDouble());
    }

    public override void WriteSettings(LayerSettings settings, LayerJsonWriter json) => json.Field("init", SettingsOf<Settings>(settings).Init);

    public override int[] OutputShape(LayerSettings settings, int[] input, string path) =>
        input.Length is 1 or 3 ? input : throw new ModelSpecException(path, $"'{path}' (scale) needs [features] or [channels, height, width], got {Show(input)}");

    public override nn.Module<Tensor, Tensor> CreateModule(LayerSettings settings, int[] input, int[] output) =>
        new ScaleModule(input.Length == 3 ? [input[0], 1, 1] : [input[0]], SettingsOf<Settings>(settings).Init);

    public override NodeProto? Export(LayerExport export) =>
        export.Builder.AddNode("Mul", [export.Input, export.AddTensor("scale", ((ScaleModule)export.Module).Scale)], [export.Output]);

    public override double StoredValues(LayerSettings settings, int[] input, int[] output) => input[0];

    public override long MultiplyAdds(LayerSettings settings, int[] input, int[] output) => output.Aggregate(1L, (a, b) => a * b);

    public override ChannelRole PruningRole(LayerSettings settings, int[] input) => ChannelRole.PerChannel;

    private sealed class ScaleModule : nn.Module<Tensor, Tensor>
    {
#pragma warning disable IDE1006 // TorchSharp names the parameter after the field: "scale".
        private readonly Parameter scale;
#pragma warning restore IDE1006

        public ScaleModule(long[] shape, double init)
            : base("Scale")
        {
            scale = new Parameter(full(shape, init));
            RegisterComponents();
        }

        public Tensor Scale => scale;

        public override Tensor forward(Tensor input) => input.mul(scale);
    }
}
