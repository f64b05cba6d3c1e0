using System.Text;
using System.Text.Json;
using Compression.Models.Layers;

namespace Compression.Models.Spec;

/// <summary>
/// A sequential model described in JSON:
/// <c>{"input": [1, 28, 28], "layers": [{"type": "conv2d", "out": 8, "kernel": 3, "padding": 1}, {"type": "relu"}, ...]}</c>.
/// Parsing checks every field and infers every layer's shape, so a spec that parses can be built
/// and exported; errors name the JSON path of the offending field.
/// </summary>
public sealed class ModelSpec
{
    public ModelSpec(int[] input, IReadOnlyList<LayerSpec> layers)
    {
        Input = input;
        Layers = layers;
        Shapes = SpecShapes.Infer(input, layers, "");
    }

    /// <summary>Shape of one sample, without the batch dimension.</summary>
    public int[] Input { get; }

    public IReadOnlyList<LayerSpec> Layers { get; }

    /// <summary>Shape after each layer (index i = output of layer i).</summary>
    public IReadOnlyList<int[]> Shapes { get; }

    /// <summary>Shape of the model's output for one sample.</summary>
    public int[] OutputShape() => Shapes.Count > 0 ? Shapes[^1] : Input;

    /// <summary>The shape entering layer <paramref name="index"/>.</summary>
    public int[] InputShapeOf(int index) => index == 0 ? Input : Shapes[index - 1];

    /// <summary>Parses a spec found at <paramref name="jsonPath"/> with the process's layer kinds (<see cref="LayerTypes.Current"/>).</summary>
    public static ModelSpec Parse(JsonElement element, string jsonPath) => Parse(element, jsonPath, LayerTypes.Current);

    /// <summary>Parses a spec found at <paramref name="jsonPath"/> whose layers are of <paramref name="types"/>.</summary>
    public static ModelSpec Parse(JsonElement element, string jsonPath, LayerTypes types)
    {
        ArgumentNullException.ThrowIfNull(types);
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ModelSpecException(jsonPath, $"'{jsonPath}' must be a model spec object: {{\"input\": [...], \"layers\": [...]}}");
        }
        int[]? input = null;
        var layers = new List<LayerSpec>();
        foreach (JsonProperty property in element.EnumerateObject())
        {
            string path = $"{jsonPath}.{property.Name}";
            switch (property.Name)
            {
                case "input":
                    input = ReadShape(property.Value, path);
                    break;
                case "layers":
                    if (property.Value.ValueKind != JsonValueKind.Array)
                    {
                        throw new ModelSpecException(path, $"'{path}' must be an array of layers");
                    }
                    int i = 0;
                    foreach (JsonElement layer in property.Value.EnumerateArray())
                    {
                        layers.Add(types.ParseLayer(layer, $"{path}[{i++}]"));
                    }
                    break;
                default:
                    throw new ModelSpecException(path, $"unknown field '{property.Name}' in '{jsonPath}': a model spec has \"input\" and \"layers\"");
            }
        }
        if (input is null)
        {
            throw new ModelSpecException(jsonPath, $"'{jsonPath}' has no \"input\": give the shape of one sample, e.g. [1, 28, 28] or [784]");
        }
        if (layers.Count == 0)
        {
            throw new ModelSpecException(jsonPath, $"'{jsonPath}' has no \"layers\"");
        }
        CheckUniqueNames(layers, $"{jsonPath}.layers", new Dictionary<string, string>(StringComparer.Ordinal));
        SpecShapes.Infer(input, layers, jsonPath);
        return new ModelSpec(input, layers);
    }

    /// <summary>The shape after each of <paramref name="layers"/> given <paramref name="input"/> (e.g. a residual block's body).</summary>
    public static IReadOnlyList<int[]> ShapesOf(int[] input, IReadOnlyList<LayerSpec> layers) => SpecShapes.Infer(input, layers, "");

    /// <summary>Canonical JSON (fixed field order, defaults written out): part of cache keys and saved with weights.</summary>
    public string ToJson()
    {
        var builder = new StringBuilder();
        builder.Append("{\"input\":[").Append(string.Join(',', Input)).Append("],\"layers\":");
        LayerJsonWriter.WriteLayers(builder, Layers);
        return builder.Append('}').ToString();
    }

    /// <summary>
    /// The output shape (per sample) of every named layer, inside residual blocks too, in spec order, and
    /// of the tensors inside them their kinds expose (<see cref="LayerType.InnerTaps"/>, e.g.
    /// <c>enc1.attention</c>): what a feature tap on this model can read.
    /// </summary>
    public IReadOnlyDictionary<string, int[]> NamedOutputShapes()
    {
        var named = new Dictionary<string, int[]>(StringComparer.Ordinal);
        AddNamed(Input, Layers, named);
        return named;
    }

    private static void AddNamed(int[] input, IReadOnlyList<LayerSpec> layers, Dictionary<string, int[]> named)
    {
        IReadOnlyList<int[]> shapes = ShapesOf(input, layers);
        for (int i = 0; i < layers.Count; i++)
        {
            int[] layerInput = i == 0 ? input : shapes[i - 1];
            if (layers[i].Body.Count > 0)
            {
                AddNamed(layerInput, layers[i].Body, named);
            }
            if (layers[i].Name is string name)
            {
                named[name] = shapes[i];
                foreach ((string suffix, int[] shape) in layers[i].Type.InnerTaps(layers[i].Settings, layerInput, shapes[i]))
                {
                    named[name + suffix] = shape;
                }
            }
        }
    }

    private static void CheckUniqueNames(IReadOnlyList<LayerSpec> layers, string path, Dictionary<string, string> seen)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            string layerPath = $"{path}[{i}]";
            if (layers[i].Name is string name && !seen.TryAdd(name, layerPath))
            {
                throw new ModelSpecException($"{layerPath}.name", $"'{layerPath}.name' \"{name}\" is already the name of {seen[name]}: layer names must be unique");
            }
            CheckUniqueNames(layers[i].Body, $"{layerPath}.layers", seen);
        }
    }

    private static int[] ReadShape(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() is 0 or > 3)
        {
            throw new ModelSpecException(path, $"'{path}' must be the shape of one sample: [features] or [channels, height, width]");
        }
        return element.EnumerateArray().Select((e, i) => LayerFields.PositiveInt(e, $"{path}[{i}]")).ToArray();
    }
}
