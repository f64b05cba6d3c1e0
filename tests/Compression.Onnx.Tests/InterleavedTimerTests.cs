using Compression.Onnx;

namespace Compression.Onnx.Tests;

public sealed class InterleavedTimerTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "compression-onnx-tests", Guid.NewGuid().ToString("N"));

    public InterleavedTimerTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Two_models_with_a_dynamic_sequence_length_are_timed_on_the_rows_given()
    {
        string first = Tokens("first.onnx"), second = Tokens("second.onnx");
        var rows = new float[4 * 2 * 7];

        using var timer = new InterleavedTimer(first, second, batch: 4, rows);
        var (a, b) = timer.Round(3, CancellationToken.None);

        Assert.True(a > 0 && b > 0);
    }

    [Fact]
    public void Without_rows_a_dynamic_sequence_length_cannot_be_timed()
    {
        string first = Tokens("first.onnx"), second = Tokens("second.onnx");

        var error = Assert.Throws<OnnxFormatException>(() => new InterleavedTimer(first, second, batch: 4));

        Assert.Contains("cannot be timed on the same batch", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A [batch, 2, length] -> [batch, 2, length] Relu, as a text model's input.</summary>
    private string Tokens(string name)
    {
        var builder = new OnnxGraphBuilder("tokens");
        builder.AddSymbolicInput("x", [null, 2, null], ["batch", "length"]);
        builder.AddNode("Relu", ["x"], ["y"], "Relu");
        builder.AddSymbolicOutput("y", [null, 2, null], ["batch", "length"]);
        string path = Path.Combine(_folder, name);
        OnnxModelFile.Write(builder.Build("tests"), path);
        return path;
    }
}
