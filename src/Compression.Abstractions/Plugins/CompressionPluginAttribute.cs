namespace Compression.Abstractions.Plugins;

/// <summary>
/// Marks an assembly as a Compression plugin and names its entry point:
/// <c>[assembly: CompressionPlugin(typeof(MyPlugin))]</c>.
/// </summary>
/// <param name="entryPoint">A public type implementing <see cref="ICompressionPlugin"/> with a parameterless constructor.</param>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class CompressionPluginAttribute(Type entryPoint) : Attribute
{
    /// <summary>The entry point type.</summary>
    public Type EntryPoint { get; } = entryPoint;
}
