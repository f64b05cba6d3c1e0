using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Compression.Host.Plugins;

/// <summary>
/// Whether a plugin was built against an SDK (Compression.Abstractions) this host can run: the SDK is
/// semantically versioned, so a different major version (minor, below 1.0) means contracts changed and
/// the plugin would fail later with a type-load error nobody can read. Read from the plugin's metadata
/// before it is loaded.
/// </summary>
public static class SdkCompatibility
{
    private const string SdkName = "Compression.Abstractions";

    /// <summary>The SDK version the host was built with.</summary>
    public static Version HostVersion { get; } = typeof(Compression.Abstractions.Stages.IStage).Assembly.GetName().Version!;

    /// <summary>The SDK version <paramref name="assemblyPath"/> references, or null when it references none or is no assembly (loading reports that).</summary>
    public static Version? ReferencedVersion(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var reader = new PEReader(stream);
        MetadataReader metadata;
        try
        {
            if (!reader.HasMetadata)
            {
                return null;
            }
            metadata = reader.GetMetadataReader();
        }
        catch (BadImageFormatException)
        {
            return null;
        }
        foreach (AssemblyReferenceHandle handle in metadata.AssemblyReferences)
        {
            AssemblyReference reference = metadata.GetAssemblyReference(handle);
            if (metadata.GetString(reference.Name) == SdkName)
            {
                return reference.Version;
            }
        }
        return null;
    }

    /// <summary>Null when a plugin built against <paramref name="plugin"/> runs on <paramref name="host"/>, else why not.</summary>
    public static string? Problem(Version plugin, Version host)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentNullException.ThrowIfNull(host);
        // Semantic versioning: below 1.0 every minor version may break contracts, above it every major.
        bool sameLine = host.Major == 0 ? plugin.Major == 0 && plugin.Minor == host.Minor : plugin.Major == host.Major;
        if (!sameLine)
        {
            string advice = plugin > host
                ? "update Compression.Build to a version with that SDK"
                : $"rebuild the plugin against {SdkName} {(host.Major == 0 ? $"0.{host.Minor}" : $"{host.Major}")}.x";
            return $"it was built against {SdkName} {plugin.ToString(3)}, and this host has {host.ToString(3)}, whose contracts differ; {advice}";
        }
        // Within a line a newer SDK only adds members (a minor version; a patch below 1.0), which this host lacks.
        if (Normalized(plugin) > Normalized(host))
        {
            return $"it was built against {SdkName} {plugin.ToString(3)}, which is newer than this host's {host.ToString(3)} and may use members this host lacks; update Compression.Build";
        }
        return null;
    }

    private static Version Normalized(Version version) => new(version.Major, version.Minor, Math.Max(version.Build, 0));
}
