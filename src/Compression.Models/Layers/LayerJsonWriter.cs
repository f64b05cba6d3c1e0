using System.Globalization;
using System.Text;
using Compression.Models.Spec;

namespace Compression.Models.Layers;

/// <summary>
/// Writes a layer's settings into the spec's canonical JSON (no spaces, fields in a fixed order,
/// defaults written out), which is part of cache keys: write every field, always in the same order.
/// </summary>
public sealed class LayerJsonWriter
{
    private readonly StringBuilder _json;

    internal LayerJsonWriter(StringBuilder json) => _json = json;

    /// <summary>Writes <c>,"name":value</c>.</summary>
    public void Field(string name, int value) => Raw(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Writes <c>,"name":true|false</c>.</summary>
    public void Field(string name, bool value) => Raw(name, value ? "true" : "false");

    /// <summary>Writes <c>,"name":value</c> with the shortest text that reads back as the same double.</summary>
    public void Field(string name, double value) => Raw(name, value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>Writes <c>,"name":[layers]</c> (a residual block's body).</summary>
    internal void Layers(string name, IReadOnlyList<LayerSpec> layers)
    {
        _json.Append(",\"").Append(name).Append("\":");
        WriteLayers(_json, layers);
    }

    /// <summary>The canonical JSON array of <paramref name="layers"/>.</summary>
    internal static void WriteLayers(StringBuilder json, IReadOnlyList<LayerSpec> layers)
    {
        json.Append('[');
        for (int i = 0; i < layers.Count; i++)
        {
            LayerSpec layer = layers[i];
            json.Append(i > 0 ? "," : "").Append("{\"type\":\"").Append(layer.Type.Name).Append('"');
            if (layer.Name is not null)
            {
                json.Append(",\"name\":\"").Append(layer.Name).Append('"');
            }
            layer.Type.WriteSettings(layer.Settings, new LayerJsonWriter(json));
            json.Append('}');
        }
        json.Append(']');
    }

    private void Raw(string name, string value) => _json.Append(",\"").Append(name).Append("\":").Append(value);
}
