using System.Reflection;
using Compression.Abstractions.Plugins;
using Compression.Abstractions.Stages;
using Compression.Core.Diagnostics;
using Compression.Models.Spec;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.DependencyInjection;

namespace Compression.Host.Plugins;

/// <summary>
/// Finds and loads plugins: every folder under <c>plugins/</c> beside the host (the first-party
/// stages live there too) and the paths a config lists. Each plugin gets its own load context
/// (McMaster.NETCore.Plugins) so its private dependencies cannot clash with another's or the host's; the
/// SDK's libraries (with TorchSharp, ONNX Runtime and Microsoft.Extensions.*.Abstractions) are shared, so a
/// plugin's IStage is the host's IStage, and an assembly the plugin does not carry is the host's.
/// </summary>
public sealed class PluginCatalog
{
    /// <summary>
    /// One type from each assembly the host shares with plugins: the plugin SDK (build/CompressionSdk.props)
    /// and the libraries its types expose (TorchSharp, ONNX Runtime, Protobuf, Microsoft.Extensions.*.Abstractions).
    /// A plugin that carries its own copy of one of these still gets the host's, so a torch-model artifact,
    /// a layer type or an ONNX session means the same type on both sides.
    /// </summary>
    private static readonly Type[] s_sdkTypes =
    [
        typeof(IStage),
        typeof(Compression.Onnx.OnnxGraphBuilder),
        typeof(Compression.Data.DataFormatException),
        typeof(Compression.Models.Spec.ModelSpec),
        typeof(Compression.Quantization.Qdq.QdqRewriter),
        typeof(IServiceCollection),
        typeof(Microsoft.Extensions.Logging.ILogger),
        typeof(TorchSharp.torch),
        typeof(Microsoft.ML.OnnxRuntime.InferenceSession),
        typeof(Google.Protobuf.IMessage),
    ];

    private readonly List<LoadedPlugin> _plugins = [];

    /// <summary>The plugins loaded so far.</summary>
    public IReadOnlyList<LoadedPlugin> Plugins => _plugins;

    /// <summary>The folder of first-party plugins beside the host.</summary>
    public static string BuiltInFolder => Path.Combine(AppContext.BaseDirectory, "plugins");

    /// <summary>Loads every plugin folder under <paramref name="folder"/> (each holds &lt;folder name&gt;.dll).</summary>
    public void LoadFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }
        foreach (string pluginFolder in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
        {
            string assembly = Path.Combine(pluginFolder, Path.GetFileName(pluginFolder) + ".dll");
            if (File.Exists(assembly))
            {
                Load(assembly, location: null);
            }
        }
    }

    /// <summary>
    /// Loads a plugin named in a config: a .dll, or a folder holding &lt;folder name&gt;.dll.
    /// Problems are reported at <paramref name="location"/>.
    /// </summary>
    public void LoadPath(string path, SourceLocation location)
    {
        string assembly = path;
        if (Directory.Exists(path))
        {
            assembly = Path.Combine(path, Path.GetFileName(Path.TrimEndingDirectorySeparator(path)) + ".dll");
        }
        if (!File.Exists(assembly))
        {
            throw new CompressionException(ErrorCodes.PluginLoad,
                $"plugin not found: {path} (expected a plugin .dll, or a folder holding <folder name>.dll)", location);
        }
        Load(assembly, location);
    }

    /// <summary>Lets every loaded plugin register its services.</summary>
    public void ConfigureServices(IServiceCollection services)
    {
        foreach (LoadedPlugin plugin in _plugins)
        {
            plugin.EntryPoint.Configure(services);
        }
    }

    private void Load(string assemblyPath, SourceLocation? location)
    {
        string fullPath = Path.GetFullPath(assemblyPath);
        if (_plugins.Any(p => string.Equals(p.AssemblyPath, fullPath, StringComparison.Ordinal)))
        {
            return;
        }
        if (SdkCompatibility.ReferencedVersion(fullPath) is Version sdk && SdkCompatibility.Problem(sdk, SdkCompatibility.HostVersion) is string problem)
        {
            throw new CompressionException(ErrorCodes.PluginLoad, $"cannot load plugin {Path.GetFileName(fullPath)}: {problem}", location ?? new SourceLocation(fullPath));
        }
        Assembly assembly;
        try
        {
            var loader = PluginLoader.CreateFromAssemblyFile(
                fullPath,
                sharedTypes: s_sdkTypes,
                // Only the SDK's contracts (and what they reference) come from the host; any other assembly
                // the plugin carries is its own, so it can use another version of a library the host also
                // loads (preferring the host's returned the host's older System.CommandLine to a plugin built
                // against 3.0). What a plugin does not carry still falls back to the host's.
                configure => configure.PreferSharedTypes = false);
            assembly = loader.LoadDefaultAssembly();
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or FileNotFoundException)
        {
            throw new CompressionException(ErrorCodes.PluginLoad, $"could not load plugin {fullPath}: {ex.Message}", location ?? new SourceLocation(fullPath));
        }

        var attribute = assembly.GetCustomAttribute<CompressionPluginAttribute>()
            ?? throw new CompressionException(ErrorCodes.PluginLoad,
                $"{Path.GetFileName(fullPath)} is not a Compression plugin: it has no [assembly: CompressionPlugin(typeof(...))] attribute",
                location ?? new SourceLocation(fullPath));
        if (!typeof(ICompressionPlugin).IsAssignableFrom(attribute.EntryPoint) || attribute.EntryPoint.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new CompressionException(ErrorCodes.PluginLoad,
                $"{Path.GetFileName(fullPath)}: the entry point {attribute.EntryPoint.FullName} must implement ICompressionPlugin and have a public parameterless constructor",
                location ?? new SourceLocation(fullPath));
        }
        var entryPoint = (ICompressionPlugin)Activator.CreateInstance(attribute.EntryPoint)!;
        _plugins.Add(new LoadedPlugin(fullPath, assembly, entryPoint));
    }
}
