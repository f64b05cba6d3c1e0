namespace Compression.Onnx.Tests;

/// <summary>
/// The ONNX project's own backend test models, as Debian's libonnx-testdata installs them. CI installs
/// the package; a developer without it gets a failing test that says how to install it, or sets
/// COMPRESSION_SKIP_ONNX_TESTDATA=1 to skip it knowingly.
/// </summary>
public static class OnnxTestData
{
    public const string SkipVariable = "COMPRESSION_SKIP_ONNX_TESTDATA";

    // Debian 12 and later use the first; the others cover older layouts and a manual ONNX checkout.
    private static readonly string[] s_candidates =
    [
        "/usr/share/libonnx-testdata/data",
        "/usr/share/onnx/backend/test/data",
        "/usr/share/libonnx-testdata",
        "/usr/lib/python3/dist-packages/onnx/backend/test/data",
    ];

    /// <summary>True when the developer asked to skip tests that need the data.</summary>
    public static bool Skipped => Environment.GetEnvironmentVariable(SkipVariable) == "1";

    /// <summary>The data folder; fails the calling test when the package is missing.</summary>
    public static string Root =>
        s_candidates.FirstOrDefault(c => Directory.Exists(Path.Combine(c, "node")))
        ?? throw new Xunit.Sdk.XunitException(
            $"ONNX conformance data not found (looked in {string.Join(", ", s_candidates)}): " +
            $"install libonnx-testdata (apt-get install libonnx-testdata), or set {SkipVariable}=1 to skip these tests");

    /// <summary>Every model.onnx under the data folder, in a stable order.</summary>
    public static IReadOnlyList<string> Models() =>
        Directory.EnumerateFiles(Root, "model.onnx", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
}
