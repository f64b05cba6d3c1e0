using System.Reflection;
using Compression.Abstractions.Plugins;

namespace Compression.Host.Plugins;

/// <summary>A plugin assembly and its entry point.</summary>
public sealed record LoadedPlugin(string AssemblyPath, Assembly Assembly, ICompressionPlugin EntryPoint)
{
    public string Name => Assembly.GetName().Name ?? Path.GetFileNameWithoutExtension(AssemblyPath);

    public string Version => Assembly.GetName().Version?.ToString() ?? "?";
}
