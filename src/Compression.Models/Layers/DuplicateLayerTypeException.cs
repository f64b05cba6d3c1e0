namespace Compression.Models.Layers;

/// <summary>Two registered layer kinds have the same name; the message names both (their .NET types and the files they come from).</summary>
public sealed class DuplicateLayerTypeException(string name, LayerType first, LayerType second)
    : Exception($"two layer types are named '{name}': {Describe(first)} and {Describe(second)}; rename one")
{
    /// <summary>The name both kinds claim.</summary>
    public string Name { get; } = name;

    private static string Describe(LayerType type)
    {
        System.Reflection.Assembly assembly = type.GetType().Assembly;
        return $"{type.GetType().FullName} (from {(assembly.Location.Length > 0 ? assembly.Location : assembly.GetName().Name)})";
    }
}
