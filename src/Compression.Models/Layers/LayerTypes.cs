using System.Text.Json;
using Compression.Models.Spec;

namespace Compression.Models.Layers;

/// <summary>
/// The layer kinds a spec may use, by name: the built-in ones and those plugins register. It parses a
/// spec's layers. <see cref="Current"/> is the process's set: a spec is parsed in many places (the
/// teacher's preflight, the distill stage, every stage loading a torch-model artifact) and a saved
/// <c>model.json</c> must read the same wherever it is loaded, so the host sets it once, after the
/// plugins registered their kinds, rather than threading it through every stage and artifact.
/// </summary>
public sealed class LayerTypes
{
    private static LayerTypes? s_current;

    private readonly Dictionary<string, LayerType> _byName;

    private LayerTypes(IReadOnlyList<LayerType> all)
    {
        All = all;
        _byName = all.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The built-in kinds, in the order error messages list them.</summary>
    public static LayerTypes BuiltIn { get; } = new(
    [
        new LinearLayer(), new Conv2dLayer(), new BatchNormLayer(), new ReluLayer(), new MaxPool2dLayer(), new AvgPool2dLayer(),
        new GlobalAvgPoolLayer(), new FlattenLayer(), new DropoutLayer(), new Relu6Layer(), new HardSwishLayer(), new SiluLayer(),
        new GeluLayer(), new ResidualLayer(), new TokenEmbeddingLayer(), new EncoderLayer(), new MeanPoolLayer(), new NormalizeLayer(),
    ]);

    /// <summary>The kinds <see cref="ModelSpec.Parse(JsonElement, string)"/> knows: the built-in ones until the host adds the plugins'.</summary>
    public static LayerTypes Current => Volatile.Read(ref s_current) ?? BuiltIn;

    /// <summary>Every kind, built-in ones first.</summary>
    public IReadOnlyList<LayerType> All { get; }

    /// <summary>Makes <paramref name="types"/> the process's kinds (the host does this once plugins are configured).</summary>
    public static void Use(LayerTypes types)
    {
        ArgumentNullException.ThrowIfNull(types);
        Volatile.Write(ref s_current, types);
    }

    /// <summary>These kinds plus <paramref name="added"/>.</summary>
    /// <exception cref="DuplicateLayerTypeException">Two kinds have the same name.</exception>
    public LayerTypes With(IEnumerable<LayerType> added)
    {
        ArgumentNullException.ThrowIfNull(added);
        var all = new List<LayerType>(All);
        foreach (LayerType type in added)
        {
            // The same instance reached twice (e.g. registered as a service and found again) is one kind.
            if (all.Contains(type))
            {
                continue;
            }
            if (all.FirstOrDefault(t => string.Equals(t.Name, type.Name, StringComparison.OrdinalIgnoreCase)) is LayerType existing)
            {
                throw new DuplicateLayerTypeException(type.Name, existing, type);
            }
            all.Add(type);
        }
        return new LayerTypes(all);
    }

    /// <summary>The kind named <paramref name="name"/> (case-sensitive, as in a spec), or null.</summary>
    public LayerType? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Parses one layer object of a spec found at <paramref name="path"/> (e.g. <c>student.layers[2]</c>).</summary>
    public LayerSpec ParseLayer(JsonElement layer, string path)
    {
        string names = string.Join(", ", All.Select(t => t.Name));
        if (layer.ValueKind != JsonValueKind.Object || !layer.TryGetProperty("type", out JsonElement typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            throw new ModelSpecException(path, $"'{path}' must be an object with a \"type\": one of {names}");
        }
        string typeName = typeElement.GetString()!;
        LayerType type = Find(typeName)
            ?? throw new ModelSpecException($"{path}.type", $"unknown layer type '{typeName}' at '{path}.type': expected one of {names}");
        LayerSettings settings = type.DefaultSettings;
        string? name = null;
        foreach (JsonProperty field in layer.EnumerateObject())
        {
            string fieldPath = $"{path}.{field.Name}";
            if (field.Name == "type")
            {
                continue;
            }
            if (field.Name == "name")
            {
                name = LayerNames.Read(field.Value, fieldPath);
                continue;
            }
            if (!type.Fields.Contains(field.Name))
            {
                string known = string.Join(", ", ["name", .. type.Fields]);
                throw new ModelSpecException(fieldPath, $"unknown field '{field.Name}' for a {typeName} layer at '{path}': its fields are {known}");
            }
            settings = type.ReadField(settings, field.Name, field.Value, fieldPath, this);
        }
        return new LayerSpec(type, type.Complete(settings, path)) { Name = name };
    }
}
