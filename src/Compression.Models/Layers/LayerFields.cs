using System.Text.Json;
using Compression.Models.Spec;

namespace Compression.Models.Layers;

/// <summary>Reads a layer's setting from JSON, throwing a <see cref="ModelSpecException"/> at its path when it is not what is expected.</summary>
public static class LayerFields
{
    /// <summary>A whole number of at least 1.</summary>
    public static int PositiveInt(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out int value) || value < 1)
        {
            throw new ModelSpecException(path, $"'{path}' must be a whole number of at least 1, got {element.GetRawText()}");
        }
        return value;
    }

    /// <summary>A whole number of at least 0.</summary>
    public static int NonNegativeInt(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out int value) || value < 0)
        {
            throw new ModelSpecException(path, $"'{path}' must be a whole number of at least 0, got {element.GetRawText()}");
        }
        return value;
    }

    /// <summary>true or false.</summary>
    public static bool Boolean(JsonElement element, string path)
    {
        if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new ModelSpecException(path, $"'{path}' must be true or false");
        }
        return element.GetBoolean();
    }

    /// <summary>A number in [0, 1).</summary>
    public static double Fraction(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Number || element.GetDouble() is < 0 or >= 1)
        {
            throw new ModelSpecException(path, $"'{path}' must be a number in [0, 1)");
        }
        return element.GetDouble();
    }
}
