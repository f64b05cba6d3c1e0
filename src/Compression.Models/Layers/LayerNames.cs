using System.Buffers;
using System.Text.Json;
using Compression.Models.Export;
using Compression.Models.Spec;

namespace Compression.Models.Layers;

/// <summary>Checks a layer's <c>name</c>: it becomes a tensor name in the exported graph.</summary>
internal static class LayerNames
{
    private static readonly SearchValues<char> s_nameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");

    public static string Read(JsonElement element, string path)
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
}
