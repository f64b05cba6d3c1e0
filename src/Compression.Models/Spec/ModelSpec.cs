using System.Text;
using System.Text.Json;

namespace Compression.Models;

/// <summary>
/// A sequential model described in JSON:
/// <c>{"input": [1, 28, 28], "layers": [{"type": "conv2d", "out": 8, "kernel": 3, "padding": 1}, {"type": "relu"}, ...]}</c>.
/// Parsing checks every field and infers every layer's shape, so a spec that parses can be built
/// and exported; errors name the JSON path of the offending field.
/// </summary>
public sealed class ModelSpec
{
    private static readonly Dictionary<string, (LayerKind Kind, string[] Fields)> s_kinds = new(StringComparer.Ordinal)
    {
        ["linear"] = (LayerKind.Linear, ["out", "bias"]),
        ["conv2d"] = (LayerKind.Conv2d, ["out", "kernel", "stride", "padding", "groups", "bias"]),
        ["batchnorm"] = (LayerKind.BatchNorm, []),
        ["relu"] = (LayerKind.Relu, []),
        ["maxpool2d"] = (LayerKind.MaxPool2d, ["kernel", "stride"]),
        ["avgpool2d"] = (LayerKind.AvgPool2d, ["kernel", "stride"]),
        ["globalavgpool"] = (LayerKind.GlobalAvgPool, []),
        ["flatten"] = (LayerKind.Flatten, []),
        ["dropout"] = (LayerKind.Dropout, ["p"]),
        ["relu6"] = (LayerKind.Relu6, []),
        ["hardswish"] = (LayerKind.HardSwish, []),
        ["silu"] = (LayerKind.Silu, []),
        ["gelu"] = (LayerKind.Gelu, []),
        ["residual"] = (LayerKind.Residual, ["layers"]),
    };

    /// <summary>Characters a layer name may have: it becomes part of tensor names in the exported graph.</summary>
    private static readonly System.Buffers.SearchValues<char> s_nameCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");

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

    public static ModelSpec Parse(JsonElement element, string jsonPath)
    {
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
                        layers.Add(ParseLayer(layer, $"{path}[{i++}]"));
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
        AppendLayers(builder, Layers);
        return builder.Append('}').ToString();
    }

    private static void AppendLayers(StringBuilder builder, IReadOnlyList<LayerSpec> layers)
    {
        builder.Append('[');
        for (int i = 0; i < layers.Count; i++)
        {
            LayerSpec layer = layers[i];
            string type = s_kinds.First(k => k.Value.Kind == layer.Kind).Key;
            builder.Append(i > 0 ? "," : "").Append("{\"type\":\"").Append(type).Append('"');
            if (layer.Name is not null)
            {
                builder.Append(",\"name\":\"").Append(layer.Name).Append('"');
            }
            foreach (string field in s_kinds[type].Fields)
            {
                if (field == "layers")
                {
                    builder.Append(",\"layers\":");
                    AppendLayers(builder, layer.Body);
                    continue;
                }
                string value = field switch
                {
                    "out" => layer.Out.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "kernel" => layer.Kernel.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "stride" => layer.Stride.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "padding" => layer.Padding.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "groups" => layer.Groups.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "bias" => layer.Bias ? "true" : "false",
                    _ => layer.P.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                };
                builder.Append(",\"").Append(field).Append("\":").Append(value);
            }
            builder.Append('}');
        }
        builder.Append(']');
    }

    /// <summary>
    /// The output shape (per sample) of every named layer, inside residual blocks too, in spec order:
    /// what a feature tap on this model can read.
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
            if (layers[i].Kind == LayerKind.Residual)
            {
                AddNamed(layerInput, layers[i].Body, named);
            }
            if (layers[i].Name is string name)
            {
                named[name] = shapes[i];
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

    private static LayerSpec ParseLayer(JsonElement layer, string path)
    {
        if (layer.ValueKind != JsonValueKind.Object || !layer.TryGetProperty("type", out JsonElement typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            throw new ModelSpecException(path, $"'{path}' must be an object with a \"type\": one of {string.Join(", ", s_kinds.Keys)}");
        }
        string type = typeElement.GetString()!;
        if (!s_kinds.TryGetValue(type, out var kind))
        {
            throw new ModelSpecException($"{path}.type", $"unknown layer type '{type}' at '{path}.type': expected one of {string.Join(", ", s_kinds.Keys)}");
        }
        int @out = 0, kernel = 0, stride = 0, padding = 0, groups = 1;
        string? name = null;
        var body = new List<LayerSpec>();
        double p = 0.5;
        bool bias = true;
        foreach (JsonProperty field in layer.EnumerateObject())
        {
            string fieldPath = $"{path}.{field.Name}";
            if (field.Name == "type")
            {
                continue;
            }
            if (field.Name == "name")
            {
                name = ReadName(field.Value, fieldPath);
                continue;
            }
            if (!kind.Fields.Contains(field.Name))
            {
                string known = string.Join(", ", ["name", .. kind.Fields]);
                throw new ModelSpecException(fieldPath, $"unknown field '{field.Name}' for a {type} layer at '{path}': its fields are {known}");
            }
            switch (field.Name)
            {
                case "out": @out = PositiveInt(field.Value, fieldPath); break;
                case "kernel": kernel = PositiveInt(field.Value, fieldPath); break;
                case "stride": stride = PositiveInt(field.Value, fieldPath); break;
                case "padding": padding = NonNegativeInt(field.Value, fieldPath); break;
                case "groups": groups = PositiveInt(field.Value, fieldPath); break;
                case "layers":
                    if (field.Value.ValueKind != JsonValueKind.Array || field.Value.GetArrayLength() == 0)
                    {
                        throw new ModelSpecException(fieldPath, $"'{fieldPath}' must be a non-empty array of layers: the block's body");
                    }
                    body.AddRange(field.Value.EnumerateArray().Select((l, j) => ParseLayer(l, $"{fieldPath}[{j}]")));
                    break;
                case "bias":
                    if (field.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        throw new ModelSpecException(fieldPath, $"'{fieldPath}' must be true or false");
                    }
                    bias = field.Value.GetBoolean();
                    break;
                case "p":
                    if (field.Value.ValueKind != JsonValueKind.Number || field.Value.GetDouble() is < 0 or >= 1)
                    {
                        throw new ModelSpecException(fieldPath, $"'{fieldPath}' must be a number in [0, 1)");
                    }
                    p = field.Value.GetDouble();
                    break;
            }
        }
        bool needsOut = kind.Kind is LayerKind.Linear or LayerKind.Conv2d;
        bool needsKernel = kind.Kind is LayerKind.Conv2d or LayerKind.MaxPool2d or LayerKind.AvgPool2d;
        if (needsOut && @out == 0)
        {
            throw new ModelSpecException(path, $"'{path}' ({type}) needs \"out\": the number of output {(kind.Kind == LayerKind.Linear ? "features" : "channels")}");
        }
        if (kind.Kind == LayerKind.Residual && body.Count == 0)
        {
            throw new ModelSpecException(path, $"'{path}' (residual) needs \"layers\": the block's body, whose output is added to its input");
        }
        if (needsKernel && kernel == 0)
        {
            throw new ModelSpecException(path, $"'{path}' ({type}) needs \"kernel\"");
        }
        if (needsKernel && stride == 0)
        {
            stride = kind.Kind == LayerKind.Conv2d ? 1 : kernel;
        }
        return new LayerSpec(kind.Kind, @out, kernel, stride, padding, kind.Kind == LayerKind.Dropout ? p : 0, bias) { Groups = groups, Name = name, Body = body };
    }

    private static string ReadName(JsonElement element, string path)
    {
        string? name = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        if (string.IsNullOrEmpty(name) || name.Length > 64 || name.AsSpan().ContainsAnyExcept(s_nameCharacters))
        {
            throw new ModelSpecException(path, $"'{path}' must be a name of 1 to 64 letters, digits, '_' or '-', got {element.GetRawText()}");
        }
        // A named layer's output is the tensor of that name in the exported graph, beside its input and output.
        if (name is OnnxExporter.InputName or OnnxExporter.OutputName)
        {
            throw new ModelSpecException(path, $"'{path}' \"{name}\" is reserved: it names the exported model's {(name == OnnxExporter.InputName ? "input" : "output")}");
        }
        return name;
    }

    private static int[] ReadShape(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() is 0 or > 3)
        {
            throw new ModelSpecException(path, $"'{path}' must be the shape of one sample: [features] or [channels, height, width]");
        }
        return element.EnumerateArray().Select((e, i) => PositiveInt(e, $"{path}[{i}]")).ToArray();
    }

    private static int PositiveInt(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out int value) || value < 1)
        {
            throw new ModelSpecException(path, $"'{path}' must be a whole number of at least 1, got {element.GetRawText()}");
        }
        return value;
    }

    private static int NonNegativeInt(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out int value) || value < 0)
        {
            throw new ModelSpecException(path, $"'{path}' must be a whole number of at least 0, got {element.GetRawText()}");
        }
        return value;
    }
}
