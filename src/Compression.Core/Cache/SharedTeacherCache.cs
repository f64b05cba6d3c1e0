namespace Compression.Core.Cache;

/// <summary>
/// Where trained teachers and teacher outputs (logits, features) are kept: by default a folder of the
/// user's shared by every app and sample on the machine, so a teacher trained for one project is
/// not trained again for the next one with the same spec, data and seed. Entries are keyed by content
/// (spec, training settings, data, seed, trainer code; a teacher file's and the data's hashes), so
/// sharing them is safe, and <see cref="ArtifactCache"/> makes them safe for concurrent builds and
/// never serves a corrupt one. Resolution: the <c>--teacher-cache</c> option (MSBuild property
/// <c>CompressionTeacherCache</c>), else the <see cref="EnvironmentVariable"/> variable, else
/// <c>$XDG_CACHE_HOME/compression/teachers</c>, else <c>~/.cache/compression/teachers</c>;
/// <c>off</c> keeps them in the work folder's own cache.
/// </summary>
public static class SharedTeacherCache
{
    /// <summary>The environment variable naming the folder, or <c>off</c>.</summary>
    public const string EnvironmentVariable = "COMPRESSION_TEACHER_CACHE";

    /// <summary>The value that turns the shared cache off.</summary>
    public const string Off = "off";

    /// <summary>The folder to use, or null for the work folder's own cache (off, or no home folder to put it in).</summary>
    /// <param name="option">The command line's value, if given.</param>
    public static string? Resolve(string? option)
    {
        string? value = !string.IsNullOrEmpty(option) ? option : Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.Equals(value, Off, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        if (!string.IsNullOrEmpty(value))
        {
            return Path.GetFullPath(value);
        }
        // XDG base directory spec: a relative XDG_CACHE_HOME is invalid and ignored.
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string? root = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg) ? xdg
            : !string.IsNullOrEmpty(home) ? Path.Combine(home, ".cache")
            : null;
        return root is null ? null : Path.Combine(root, "compression", "teachers");
    }
}
