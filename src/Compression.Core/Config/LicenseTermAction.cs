namespace Compression.Core.Config;

/// <summary>What a licence term found on an input does.</summary>
public enum LicenseTermAction
{
    /// <summary>Fail the build.</summary>
    Error,

    /// <summary>Report a warning and go on.</summary>
    Warning,

    /// <summary>Record it in the bill of materials only.</summary>
    Ignore,
}
