namespace Compression.EndToEnd.Tests;

/// <summary>
/// The CycloneDX project's own JavaScript library (<c>@cyclonedx/cyclonedx-library</c>, its
/// <c>JsonStrictValidator</c> against the official 1.6 schema) as an independent judge of the BOMs we
/// write (tools/cyclonedx-validate).
/// </summary>
public static class CycloneDxValidator
{
    private static readonly NpmValidator s_validator = new("cyclonedx-validate", "@cyclonedx/cyclonedx-library");

    /// <summary>Runs the validator; exit 0 means valid, 1 invalid (with the schema errors), 2 it could not validate.</summary>
    public static ProcessRunner.Outcome Validate(string bomPath) => s_validator.Validate(bomPath);

    /// <summary>Fails the test, with the validator's errors, unless the BOM is valid CycloneDX 1.6.</summary>
    public static void AssertValid(string bomPath) => s_validator.AssertValid(bomPath);
}
