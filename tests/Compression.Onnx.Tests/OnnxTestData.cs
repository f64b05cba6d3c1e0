namespace Compression.Onnx.Tests;

/// <summary>Where Debian's libonnx-testdata puts the ONNX project's conformance models.</summary>
public static class OnnxTestData
{
    public const string Root = "/usr/share/libonnx-testdata/data";

    public static IReadOnlyList<string> Models()
    {
        if (!Directory.Exists(Root))
        {
            Assert.Fail($"{Root} not found: install the ONNX conformance data with `apt-get install libonnx-testdata` (.ci/run does)");
        }
        return Directory.EnumerateFiles(Root, "model.onnx", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
    }
}
