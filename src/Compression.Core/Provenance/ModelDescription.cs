using System.Globalization;
using System.Text.Json;

namespace Compression.Core.Provenance;

/// <summary>What the model card says about the student: its architecture, how it learned, what it takes and gives.</summary>
/// <param name="Architecture">Its layers in one line, e.g. "conv2d(8, k3, s2) > relu > ... > linear(10)", or "unknown" when no stage says.</param>
/// <param name="Family">"convolutional neural network", "residual neural network", "multilayer perceptron", or "unknown".</param>
/// <param name="Approach">CycloneDX learning type: "supervised", or "semi-supervised" when unlabelled transfer data was used.</param>
/// <param name="Input">The shipped model's input.</param>
/// <param name="Output">Its output.</param>
public sealed record ModelDescription(string Architecture, string Family, string Approach, string Input, string Output)
{
    /// <summary>Describes a student spec (the distill stage's <c>student</c>), or null when <paramref name="settingsJson"/> has none.</summary>
    public static (string Architecture, string Family)? FromStudentSpec(string settingsJson)
    {
        using JsonDocument settings = JsonDocument.Parse(settingsJson);
        if (!settings.RootElement.TryGetProperty("student", out JsonElement student) || student.ValueKind != JsonValueKind.Object
            || !student.TryGetProperty("layers", out JsonElement layers) || layers.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        var kinds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string architecture = Describe(layers, kinds);
        string family = kinds.Contains("residual") ? "residual neural network"
            : kinds.Contains("conv2d") ? "convolutional neural network"
            : "multilayer perceptron";
        return (architecture, family);
    }

    private static string Describe(JsonElement layers, HashSet<string> kinds) =>
        string.Join(" > ", layers.EnumerateArray().Select(layer => Layer(layer, kinds)));

    private static string Layer(JsonElement layer, HashSet<string> kinds)
    {
        string type = layer.TryGetProperty("type", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "?";
        kinds.Add(type);
        if (type == "residual" && layer.TryGetProperty("layers", out JsonElement body) && body.ValueKind == JsonValueKind.Array)
        {
            return $"residual({Describe(body, kinds)})";
        }
        var parts = new List<string>();
        void Add(string name, string prefix)
        {
            if (layer.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number)
            {
                parts.Add(prefix + value.GetDouble().ToString(CultureInfo.InvariantCulture));
            }
        }
        Add("out", "");
        Add("kernel", "k");
        Add("stride", "s");
        Add("groups", "g");
        Add("p", "p");
        return parts.Count == 0 ? type : $"{type}({string.Join(", ", parts)})";
    }
}
