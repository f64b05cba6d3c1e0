using System.Security;
using System.Text;
using System.Text.Json;

namespace Compression.Build;

/// <summary>
/// The NuGet packages the packaged runtime must restore, read from the host's own
/// <c>compress.deps.json</c>: every package the host runs with, at the version it runs with, so the
/// runtime cannot miss one (MathNet.Numerics was missed when the list was written by hand). The
/// libtorch backend packages are left out: the runtime project picks its backend itself.
/// </summary>
public static class RuntimePackages
{
    /// <summary>Packages that carry a libtorch backend (CPU per platform, CUDA), chosen by CompressionTorchBackend.</summary>
    public static bool IsTorchBackend(string id) =>
        id.StartsWith("libtorch-", StringComparison.OrdinalIgnoreCase)
        || id.StartsWith("TorchSharp-", StringComparison.OrdinalIgnoreCase);

    /// <summary>(id, version) of every package library in a deps.json, backend packages excluded, sorted by id.</summary>
    public static IReadOnlyList<(string Id, string Version)> FromDepsJson(string depsJson)
    {
        using var document = JsonDocument.Parse(depsJson);
        var packages = new List<(string Id, string Version)>();
        foreach (var library in document.RootElement.GetProperty("libraries").EnumerateObject())
        {
            if (library.Value.GetProperty("type").GetString() != "package")
            {
                continue;
            }
            // Library keys are "Id/Version".
            int slash = library.Name.IndexOf('/', StringComparison.Ordinal);
            string id = library.Name[..slash];
            if (!IsTorchBackend(id))
            {
                packages.Add((id, library.Name[(slash + 1)..]));
            }
        }
        packages.Sort((a, b) => string.Compare(a.Id, b.Id, StringComparison.OrdinalIgnoreCase));
        return packages;
    }

    /// <summary>An MSBuild file with one PackageReference per package, imported by the runtime project.</summary>
    public static string ToProps(IEnumerable<(string Id, string Version)> packages)
    {
        var props = new StringBuilder();
        props.Append("<Project>\n");
        props.Append("  <!-- Generated when Compression.Build is packed, from the host's compress.deps.json: every package the host runs with. -->\n");
        props.Append("  <ItemGroup>\n");
        foreach (var (id, version) in packages)
        {
            props.Append("    <PackageReference Include=\"").Append(SecurityElement.Escape(id))
                .Append("\" Version=\"").Append(SecurityElement.Escape(version)).Append("\" />\n");
        }
        props.Append("  </ItemGroup>\n</Project>\n");
        return props.ToString();
    }
}
