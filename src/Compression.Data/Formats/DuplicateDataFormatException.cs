namespace Compression.Data.Formats;

/// <summary>Two registered data formats share a name; the message names both types and their assemblies.</summary>
public sealed class DuplicateDataFormatException(string name, DataFormat first, DataFormat second)
    : InvalidOperationException($"data format \"{name}\" is registered twice: by {Describe(first)} and by {Describe(second)}; rename one")
{
    /// <summary>The shared name.</summary>
    public string Name { get; } = name;

    private static string Describe(DataFormat format) => $"{format.GetType().FullName} ({format.GetType().Assembly.GetName().Name})";
}
