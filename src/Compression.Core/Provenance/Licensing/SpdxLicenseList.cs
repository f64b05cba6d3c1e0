using System.Text.Json;
using Compression.Core.Config;

namespace Compression.Core.Provenance.Licensing;

/// <summary>
/// The SPDX License List's ids (licences and exceptions, current and deprecated), from the vendored
/// spdx-licenses.json (see its "_source"; regenerate with tools/spdx/update-license-list.sh). Ids
/// match case-insensitively, as SPDX says; <see cref="Canonical"/> gives the list's spelling.
/// </summary>
public sealed class SpdxLicenseList
{
    private readonly Dictionary<string, string> _licenses;
    private readonly HashSet<string> _deprecatedLicenses;
    private readonly Dictionary<string, string> _exceptions;
    private readonly HashSet<string> _deprecatedExceptions;

    private SpdxLicenseList(JsonElement root)
    {
        static IEnumerable<string> Ids(JsonElement root, string name) => root.GetProperty(name).EnumerateArray().Select(e => e.GetString()!);
        _deprecatedLicenses = new HashSet<string>(Ids(root, "deprecatedLicenses"), StringComparer.OrdinalIgnoreCase);
        _licenses = Ids(root, "licenses").Concat(_deprecatedLicenses).Distinct(StringComparer.OrdinalIgnoreCase).ToDictionary(id => id, id => id, StringComparer.OrdinalIgnoreCase);
        _deprecatedExceptions = new HashSet<string>(Ids(root, "deprecatedExceptions"), StringComparer.OrdinalIgnoreCase);
        _exceptions = Ids(root, "exceptions").Concat(_deprecatedExceptions).Distinct(StringComparer.OrdinalIgnoreCase).ToDictionary(id => id, id => id, StringComparer.OrdinalIgnoreCase);
        Source = root.GetProperty("_source").GetString()!;
    }

    /// <summary>The list vendored with the tool.</summary>
    public static SpdxLicenseList Vendored { get; } = Load();

    /// <summary>Where the list came from (package names and versions).</summary>
    public string Source { get; }

    /// <summary>Number of licence ids known, deprecated ones included.</summary>
    public int LicenseCount => _licenses.Count;

    /// <summary>The list's spelling of a licence id, or null when the list has no such licence.</summary>
    public string? Canonical(string id) => _licenses.GetValueOrDefault(id);

    /// <summary>The list's spelling of an exception id, or null when there is none.</summary>
    public string? CanonicalException(string id) => _exceptions.GetValueOrDefault(id);

    /// <summary>True when SPDX deprecated the licence id (e.g. GPL-2.0, which is now GPL-2.0-only or GPL-2.0-or-later).</summary>
    public bool IsDeprecated(string id) => _deprecatedLicenses.Contains(id);

    /// <summary>True when SPDX deprecated the exception id.</summary>
    public bool IsDeprecatedException(string id) => _deprecatedExceptions.Contains(id);

    /// <summary>A current licence id close to an unknown one (ignoring case, '-' and '.'), for "did you mean".</summary>
    public string? SuggestLicense(string id) => Suggest(id, _licenses.Keys.Where(k => !_deprecatedLicenses.Contains(k)));

    /// <summary>A current exception id close to an unknown one.</summary>
    public string? SuggestException(string id) => Suggest(id, _exceptions.Keys.Where(k => !_deprecatedExceptions.Contains(k)));

    private static string? Suggest(string id, IEnumerable<string> known)
    {
        static string Squash(string s) => new(s.Where(char.IsAsciiLetterOrDigit).ToArray());
        var byShape = known.GroupBy(Squash, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        string squashed = Squash(id);
        if (byShape.TryGetValue(squashed, out string? same))
        {
            return same;
        }
        // "Apache2" squashes to "Apache2", one edit from "Apache20".
        return SettingsBinder.Suggest(squashed, byShape.Keys) is string near ? byShape[near] : null;
    }

    private static SpdxLicenseList Load()
    {
        using Stream stream = typeof(SpdxLicenseList).Assembly.GetManifestResourceStream("Compression.Core.Provenance.Licensing.spdx-licenses.json")
            ?? throw new InvalidOperationException("the vendored SPDX licence list is missing from Compression.Core (a build error)");
        using JsonDocument document = JsonDocument.Parse(stream);
        return new SpdxLicenseList(document.RootElement);
    }
}
