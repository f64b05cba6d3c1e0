namespace Compression.Onnx.Tests;

public class OnnxInferenceSessionTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"tiny-{Guid.NewGuid():N}.onnx");

    public OnnxInferenceSessionTests() => OnnxModelFile.Write(TinyModels.GemmRelu(), _path);

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void A_built_model_runs_in_onnx_runtime_with_hand_computed_outputs()
    {
        using var session = new OnnxInferenceSession(_path, intraOpThreads: 1);
        float[] output = session.Run([1f, 2f, -3f, 0.5f], batchSize: 2);
        // Row 1: [1-2, 2-1, 2+0.5] -> relu [0, 1, 2.5]; row 2: [-3.5, -7, 1] -> relu [0, 0, 1].
        Assert.Equal([0f, 1f, 2.5f, 0f, 0f, 1f], output);
        Assert.Equal([-1L, 2L], session.InputShape);
        Assert.Equal(2, session.SampleSize);
    }

    [Fact]
    public void The_checker_accepts_what_the_builder_writes()
    {
        OnnxChecker.AssertValid(_path);
    }

    [Fact]
    public void Parameters_are_counted_from_initializers()
    {
        Assert.Equal(9, OnnxModelInfo.CountParameters(_path));
    }

    [Fact]
    public void A_wrong_batch_size_is_refused_before_running()
    {
        using var session = new OnnxInferenceSession(_path);
        Assert.Throws<ArgumentException>(() => session.Run([1f, 2f, 3f], batchSize: 2));
    }

    [Fact]
    public void A_garbage_file_is_a_format_error_from_the_runtime_too()
    {
        string garbage = _path + ".bad";
        File.WriteAllBytes(garbage, [0x08, 0x08, 0x12, 0x00]);
        try
        {
            Assert.Throws<OnnxFormatException>(() => new OnnxInferenceSession(garbage));
        }
        finally
        {
            File.Delete(garbage);
        }
    }
}
