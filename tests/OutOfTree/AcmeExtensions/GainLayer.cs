using System.Text.Json;
using Compression.Models.Layers;
using Compression.Models.Spec;
using Compression.Onnx.Proto;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AcmeExtensions;

/// <summary>
/// A layer kind of this plugin's own: <c>{"type": "gain", "init": 1.0}</c>, y = x * g with one learned g
/// per channel (or feature), exported to ONNX as a Mul by the gains.
/// </summary>
public sealed class GainLayer : LayerType
{
    public sealed record Settings(double Init) : LayerSettings;

    public override string Name => "gain";

    public override IReadOnlyList<string> Fields => ["init"];

    public override LayerSettings DefaultSettings => new Settings(1.0);

    public override LayerSettings ReadField(LayerSettings settings, string field, JsonElement value, string path, LayerTypes types) =>
        value.ValueKind == JsonValueKind.Number && value.GetDouble() > 0
            ? new Settings(value.GetDouble())
            : throw new ModelSpecException(path, $"'{path}' must be a number above 0, got {value.GetRawText()}");

    public override void WriteSettings(LayerSettings settings, LayerJsonWriter json) => json.Field("init", SettingsOf<Settings>(settings).Init);

    public override int[] OutputShape(LayerSettings settings, int[] input, string path) =>
        input.Length is 1 or 3 ? input : throw new ModelSpecException(path, $"'{path}' (gain) needs [features] or [channels, height, width], got {Show(input)}");

    public override nn.Module<Tensor, Tensor> CreateModule(LayerSettings settings, int[] input, int[] output) =>
        new GainModule(input.Length == 3 ? [input[0], 1, 1] : [input[0]], SettingsOf<Settings>(settings).Init);

    public override NodeProto? Export(LayerExport export) =>
        export.Builder.AddNode("Mul", [export.Input, export.AddTensor("gain", ((GainModule)export.Module).Gain)], [export.Output]);

    public override double StoredValues(LayerSettings settings, int[] input, int[] output) => input[0];

    public override long MultiplyAdds(LayerSettings settings, int[] input, int[] output) => output.Aggregate(1L, (a, b) => a * b);

    public override ChannelRole PruningRole(LayerSettings settings, int[] input) => ChannelRole.PerChannel;

    private sealed class GainModule : nn.Module<Tensor, Tensor>
    {
        // TorchSharp names the parameter after the field.
        private readonly Parameter gain;

        public GainModule(long[] shape, double init)
            : base("Gain")
        {
            gain = new Parameter(full(shape, init));
            RegisterComponents();
        }

        public Tensor Gain => gain;

        public override Tensor forward(Tensor input) => input.mul(gain);
    }
}
