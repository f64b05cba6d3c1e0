namespace Compression.Models.Layers;

/// <summary>Two registered layer kinds have the same name; the message names both (their .NET types and assemblies).</summary>
public sealed class DuplicateLayerTypeException(string name, LayerType first, LayerType second)
    : Exception($"two layer types are named '{name}': {Describe(first)} and {Describe(second)}; rename one")
{
    /// <summary>The name both kinds claim.</summary>
    public string Name { get; } = name;

    private static string Describe(LayerType type) => $"{type.GetType().FullName} (from {type.GetType().Assembly.GetName().Name})";
}
