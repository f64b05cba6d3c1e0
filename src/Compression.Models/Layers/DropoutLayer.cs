using System.Text.Json;
using Compression.Onnx.Proto;
using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary><c>{"type": "dropout", "p": 0.5}</c>: zeroes a share of values while training; the identity at inference, so it is not exported.</summary>
public sealed class DropoutLayer : LayerType
{
    /// <summary>A dropout layer's settings.</summary>
    /// <param name="P">The share of values zeroed while training, in [0, 1).</param>
    public sealed record Settings(double P) : LayerSettings;

    public override string Name => "dropout";

    public override IReadOnlyList<string> Fields => ["p"];

    public override LayerSettings DefaultSettings => new Settings(0.5);

    public override LayerSettings ReadField(LayerSettings settings, string field, JsonElement value, string path, LayerTypes types) =>
        SettingsOf<Settings>(settings) with { P = LayerFields.Fraction(value, path) };

    public override void WriteSettings(LayerSettings settings, LayerJsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.Field("p", SettingsOf<Settings>(settings).P);
    }

    public override nn.Module<Tensor, Tensor> CreateModule(LayerSettings settings, int[] input, int[] output) => nn.Dropout(SettingsOf<Settings>(settings).P);

    public override NodeProto? Export(LayerExport export) => null;

    public override ChannelRole PruningRole(LayerSettings settings, int[] input) => ChannelRole.PassThrough;
}
