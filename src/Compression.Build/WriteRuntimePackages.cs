using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Compression.Build;

/// <summary>
/// Pack-time step: writes the runtime project's package references from the host's deps.json
/// (see <see cref="RuntimePackages"/>). Not used in an app's build.
/// </summary>
public sealed class WriteRuntimePackages : Microsoft.Build.Utilities.Task
{
    /// <summary>The host's compress.deps.json.</summary>
    [Required]
    public string DepsJson { get; set; } = "";

    /// <summary>The props file to write.</summary>
    [Required]
    public string OutputFile { get; set; } = "";

    public override bool Execute()
    {
        var packages = RuntimePackages.FromDepsJson(File.ReadAllText(DepsJson));
        string props = RuntimePackages.ToProps(packages);
        // Rewrite only on change, so the pack stays incremental.
        if (!File.Exists(OutputFile) || File.ReadAllText(OutputFile) != props)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(OutputFile)!);
            File.WriteAllText(OutputFile, props);
        }
        Log.LogMessage(MessageImportance.Normal, "runtime packages: {0}", string.Join(", ", packages.Select(p => $"{p.Id} {p.Version}")));
        return !Log.HasLoggedErrors;
    }
}
