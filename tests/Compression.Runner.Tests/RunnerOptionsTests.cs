using Compression.Onnx.Tests;

namespace Compression.Runner.Tests;

public sealed class RunnerOptionsTests : IDisposable
{
    private readonly string _model = TinyModels.WriteTemp(TinyModels.GemmRelu());

    public void Dispose() => File.Delete(_model);

    [Fact]
    public void The_protocols_arguments_are_read()
    {
        RunnerOptions options = RunnerOptions.Parse(["--model", $"teacher={_model}", "--model", $"student={_model}", "--batch", "1", "--batch", "64",
            "--warmup", "3", "--iterations", "9", "--repeats", "2", "--threads", "2", "--provider", "cpu", "--optimization", "basic", "--seed", "7", "--no-memory"]);
        Assert.Equal([("teacher", _model), ("student", _model)], options.Models);
        Assert.Equal([1, 64], options.BatchSizes);
        Assert.Equal((3, 9, 2, 2, "basic", 7, false), (options.Warmup, options.Iterations, options.Repeats, options.Threads, options.Optimization, options.Seed, options.Memory));
    }

    [Fact]
    public void Batch_1_is_the_default() =>
        Assert.Equal([1], RunnerOptions.Parse(["--model", $"m={_model}"]).BatchSizes);

    [Theory]
    [InlineData("--frobnicate", "unknown argument '--frobnicate'")]
    [InlineData("--model", "'--model' needs a value")]
    [InlineData("--model=x", "unknown argument '--model=x'")]
    [InlineData("--batch 0", "--batch expects an integer in [1, 65536], got '0'")]
    [InlineData("--optimization max", "--optimization expects disabled, basic, extended or all, got 'max'")]
    [InlineData("--model m", "--model expects NAME=PATH, got 'm'")]
    [InlineData("--model m=/nonexistent/model.onnx", "model 'm': no file at /nonexistent/model.onnx")]
    [InlineData("--batch 1", "give at least one --model NAME=PATH")]
    public void A_request_the_runner_cannot_serve_says_why(string arguments, string message) =>
        Assert.Equal(message, Assert.Throws<RunnerUsageException>(() => RunnerOptions.Parse(arguments.Split(' '))).Message);
}
