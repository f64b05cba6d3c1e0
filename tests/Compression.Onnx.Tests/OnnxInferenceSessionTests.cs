using Compression.Onnx.Proto;

namespace Compression.Onnx.Tests;

public sealed class OnnxInferenceSessionTests : IDisposable
{
    private readonly string _path = TinyModels.WriteTemp(TinyModels.GemmRelu());

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void A_built_model_runs_in_onnx_runtime_with_hand_computed_outputs()
    {
        using var session = new OnnxInferenceSession(_path, intraOpThreads: 1);
        Assert.Equal(TinyModels.GemmReluOutput, session.Run(TinyModels.GemmReluInput, batchSize: 2));
    }

    [Fact]
    public void Weights_an_exporter_also_listed_as_graph_inputs_are_not_taken_for_the_sample_input()
    {
        ModelProto model = TinyModels.GemmRelu();
        foreach (TensorProto weight in model.Graph.Initializer)
        {
            var input = new ValueInfoProto { Name = weight.Name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = new TensorShapeProto() } } };
            input.Type.TensorType.Shape.Dim.AddRange(weight.Dims.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
            model.Graph.Input.Add(input);
        }
        string path = TinyModels.WriteTemp(model);

        using var session = new OnnxInferenceSession(path);

        Assert.Equal("input", session.InputName);
        Assert.Equal(TinyModels.GemmReluOutput, session.Run(TinyModels.GemmReluInput, batchSize: 2));
        File.Delete(path);
    }

    [Fact]
    public void The_session_describes_the_model_io()
    {
        using var session = new OnnxInferenceSession(_path);
        Assert.Equal("input", session.InputName);
        Assert.Equal("logits", session.OutputName);
        Assert.Equal([-1L, 2L], session.InputShape);
        Assert.Equal([-1L, 3L], session.OutputShape);
        Assert.Equal(2, session.SampleSize);
        Assert.Equal(3, session.OutputWidth);
    }

    [Fact]
    public void Running_into_a_caller_buffer_gives_the_same_values_and_reuses_the_session()
    {
        using var session = new OnnxInferenceSession(_path, intraOpThreads: 1, sequential: false);
        var output = new float[6];
        for (int i = 0; i < 3; i++)
        {
            Array.Fill(output, float.NaN);
            session.Run(TinyModels.GemmReluInput, 2, output);
            Assert.Equal(TinyModels.GemmReluOutput, output);
        }
        Assert.Equal([0f, 1f, 2.5f], session.Run(TinyModels.GemmReluInput.AsSpan(0, 2), batchSize: 1));
    }

    [Fact]
    public void Concurrent_runs_on_one_session_each_get_their_own_result()
    {
        using var session = new OnnxInferenceSession(_path);
        float[][] results = new float[16][];
        Parallel.For(0, results.Length, i =>
        {
            float scale = i + 1;
            results[i] = session.Run([1f * scale, 2f * scale], batchSize: 1);
        });
        for (int i = 0; i < results.Length; i++)
        {
            float s = i + 1;
            Assert.Equal([0f, Math.Max(2f * s - 1f, 0f), 2f * s + 0.5f], results[i]);
        }
    }

    [Fact]
    public void A_wrong_input_length_is_refused_before_running()
    {
        using var session = new OnnxInferenceSession(_path);
        var error = Assert.Throws<ArgumentException>(() => session.Run([1f, 2f, 3f], batchSize: 2));
        Assert.Contains("needs 4 values, got 3", error.Message);
        Assert.Throws<ArgumentException>(() => session.Run(TinyModels.GemmReluInput, 2, new float[5]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_fixed_batch_model_runs_any_batch_in_pieces_of_its_size(int fixedBatch)
    {
        // Exported models often fix the batch (to 1): a batch of 3 runs as pieces, the last one padded.
        var builder = new OnnxGraphBuilder("fixed");
        builder.AddInput("x", [fixedBatch, 2]);
        builder.AddNode("Relu", ["x"], ["y"]);
        builder.AddOutput("y", [fixedBatch, 2]);
        string path = TinyModels.WriteTemp(builder.Build("t"));
        try
        {
            using var session = new OnnxInferenceSession(path);
            Assert.Equal(fixedBatch, session.FixedBatch);
            Assert.Equal([0f, 2f, 3f, 0f, 5f, 0f], session.Run([-1f, 2f, 3f, -4f, 5f, -6f], batchSize: 3));
            var buffer = new float[6];
            session.Run([-1f, 2f, 3f, -4f, 5f, -6f], 3, buffer);
            Assert.Equal([0f, 2f, 3f, 0f, 5f, 0f], buffer);
            Assert.Throws<ArgumentException>(() => session.Run([1f, 2f, 3f], batchSize: 2));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_data_dependent_output_width_is_run_through_runtime_allocated_outputs()
    {
        // Compress keeps the columns whose condition is true: its output width is unknown until run.
        var builder = new OnnxGraphBuilder("dyn");
        builder.AddInput("x", [null, 4]);
        string condition = builder.AddInt64Initializer("keep", [4], [1, 0, 1, 1]);
        builder.AddNode("Compress", ["x", condition], ["y"]).Int("axis", 1);
        builder.AddOutput("y", [null, null], symbolicName: "kept");
        ModelProto model = builder.Build("t");
        TensorProto keep = model.Graph.Initializer.Single(t => t.Name == condition);
        keep.DataType = (int)TensorProto.Types.DataType.Bool;
        keep.Int64Data.Clear();
        keep.Int32Data.Add([1, 0, 1, 1]);
        string path = TinyModels.WriteTemp(model);
        try
        {
            using var session = new OnnxInferenceSession(path);
            Assert.Equal(-1, session.OutputWidth);
            Assert.Equal([1f, 3f, 4f, 5f, 7f, 8f], session.Run([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], batchSize: 2));
            Assert.Throws<InvalidOperationException>(() => session.Run([1f, 2f, 3f, 4f], 1, new float[3]));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_garbage_file_is_a_format_error_naming_the_file()
    {
        string garbage = _path + ".bad.onnx";
        File.WriteAllBytes(garbage, [0x08, 0x08, 0x12, 0x00]);
        try
        {
            var error = Assert.Throws<OnnxFormatException>(() => new OnnxInferenceSession(garbage));
            Assert.Equal(garbage, error.FilePath);
            Assert.StartsWith(garbage, error.Message);
            Assert.Contains("ONNX Runtime cannot load it", error.Message);
        }
        finally
        {
            File.Delete(garbage);
        }
    }

    [Fact]
    public void A_missing_file_is_a_format_error()
    {
        string missing = _path + ".missing.onnx";
        var error = Assert.Throws<OnnxFormatException>(() => new OnnxInferenceSession(missing));
        Assert.Equal(missing, error.FilePath);
    }

    [Fact]
    public void A_model_with_two_inputs_is_refused_with_their_names()
    {
        var builder = new OnnxGraphBuilder("two");
        builder.AddInput("a", [null, 2]);
        builder.AddInput("b", [null, 2]);
        builder.AddNode("Add", ["a", "b"], ["y"]);
        builder.AddOutput("y", [null, 2]);
        string path = TinyModels.WriteTemp(builder.Build("t"));
        try
        {
            var error = Assert.Throws<OnnxFormatException>(() => new OnnxInferenceSession(path));
            Assert.Contains("exactly one input, found 2: [a, b]", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
