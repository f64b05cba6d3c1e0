using Compression.Models.Export;
using Compression.Models.GraphPruning;
using Compression.Onnx;
using Compression.Onnx.Proto;
using Compression.Onnx.Tests;

namespace Compression.Models.Tests.GraphPruning;

/// <summary>Small graphs for the graph pruner's tests, and the judges: ONNX Runtime and onnx.checker.</summary>
internal static class PrunableGraphs
{
    /// <summary>A spec CNN (conv 8 + batchnorm + relu + max-pool, conv 16 + relu, flatten, linear 32 + relu, linear 10) exported by our exporter.</summary>
    public static ModelProto SpecCnn()
    {
        var spec = Specs.Parse("""{"input":[1,8,8],"layers":[{"type":"conv2d","out":8,"kernel":3,"padding":1},{"type":"batchnorm"},{"type":"relu"},{"type":"maxpool2d","kernel":2},{"type":"conv2d","out":16,"kernel":3,"padding":1},{"type":"relu"},{"type":"flatten"},{"type":"linear","out":32},{"type":"relu"},{"type":"linear","out":10}]}""");
        using SequentialModel model = ModelFactory.Create(spec, seed: 3);
        model.eval();
        string path = Path.Combine(Path.GetTempPath(), $"spec-cnn-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExporter.Export(model, path);
            return OnnxModelFile.Read(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// x [1, 3, 8, 8] -> conv 'stem' (8) -> relu -> conv 'a' (8) -> relu -> conv 'b' (8) -> Add with the stem's
    /// relu -> relu -> global average pool -> flatten -> gemm 'head' (4): one residual block.
    /// </summary>
    public static ModelProto Residual()
    {
        var b = new OnnxGraphBuilder("residual");
        b.AddInput("x", [null, 3, 8, 8]);
        Conv(b, "stem", "x", 3, 8, seed: 1);
        b.AddNode("Relu", ["stem_out"], ["stem_relu"]);
        Conv(b, "a", "stem_relu", 8, 8, seed: 2);
        b.AddNode("Relu", ["a_out"], ["a_relu"]);
        Conv(b, "b", "a_relu", 8, 8, seed: 3);
        b.AddNode("Add", ["b_out", "stem_relu"], ["sum"], "join");
        b.AddNode("Relu", ["sum"], ["sum_relu"]);
        b.AddNode("GlobalAveragePool", ["sum_relu"], ["pooled"]);
        b.AddNode("Flatten", ["pooled"], ["flat"]);
        Gemm(b, "head", "flat", 8, 4, seed: 4);
        b.AddOutput("head_out", [null, 4]);
        return b.Build("graph-pruning-tests");
    }

    /// <summary>conv 'a' (8) -> relu -> Softmax over channels (not channel-wise) -> conv 'b' (8) -> relu -> GAP -> flatten -> gemm 'head' (3).</summary>
    public static ModelProto UnknownConsumer()
    {
        var b = new OnnxGraphBuilder("unknown");
        b.AddInput("x", [null, 2, 6, 6]);
        Conv(b, "a", "x", 2, 8, seed: 1);
        b.AddNode("Relu", ["a_out"], ["a_relu"]);
        b.AddNode("Softmax", ["a_relu"], ["soft"], "softmax").Int("axis", 1);
        Conv(b, "b", "soft", 8, 8, seed: 2);
        b.AddNode("Relu", ["b_out"], ["b_relu"]);
        b.AddNode("GlobalAveragePool", ["b_relu"], ["pooled"]);
        b.AddNode("Flatten", ["pooled"], ["flat"]);
        Gemm(b, "head", "flat", 8, 3, seed: 3);
        b.AddOutput("head_out", [null, 3]);
        return b.Build("graph-pruning-tests");
    }

    /// <summary>conv 'a' (4) and conv 'b' (6) of the input, Concat (10) -> depthwise conv 'dw' -> relu -> conv 'c' (5) -> GAP -> flatten -> gemm 'head' (3).</summary>
    public static ModelProto ConcatDepthwise()
    {
        var b = new OnnxGraphBuilder("concat");
        b.AddInput("x", [null, 2, 6, 6]);
        Conv(b, "a", "x", 2, 4, seed: 1);
        Conv(b, "b", "x", 2, 6, seed: 2);
        b.AddNode("Concat", ["a_out", "b_out"], ["joined"], "concat").Int("axis", 1);
        Conv(b, "dw", "joined", 1, 10, seed: 3, group: 10);
        b.AddNode("Relu", ["dw_out"], ["dw_relu"]);
        Conv(b, "c", "dw_relu", 10, 5, seed: 4);
        b.AddNode("GlobalAveragePool", ["c_out"], ["pooled"]);
        b.AddNode("Flatten", ["pooled"], ["flat"]);
        Gemm(b, "head", "flat", 5, 3, seed: 5);
        b.AddOutput("head_out", [null, 3]);
        return b.Build("graph-pruning-tests");
    }

    private static void Conv(OnnxGraphBuilder b, string name, string input, int inChannels, int outChannels, int seed, int group = 1)
    {
        var random = new Random(seed);
        string w = b.AddInitializer($"{name}_w", [outChannels, inChannels, 3, 3], Values(random, outChannels * inChannels * 9));
        string bias = b.AddInitializer($"{name}_b", [outChannels], Values(random, outChannels));
        b.AddNode("Conv", [input, w, bias], [$"{name}_out"], name).Ints("kernel_shape", 3, 3).Ints("pads", 1, 1, 1, 1).Int("group", group);
    }

    private static void Gemm(OnnxGraphBuilder b, string name, string input, int inputs, int outputs, int seed)
    {
        var random = new Random(seed);
        string w = b.AddInitializer($"{name}_w", [outputs, inputs], Values(random, outputs * inputs));
        string bias = b.AddInitializer($"{name}_b", [outputs], Values(random, outputs));
        b.AddNode("Gemm", [input, w, bias], [$"{name}_out"], name).Int("transB", 1);
    }

    private static float[] Values(Random random, int count) => [.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1) * 0.5f)];

    /// <summary>Seeded inputs for <paramref name="batch"/> samples of <paramref name="model"/>'s input.</summary>
    public static float[] Input(ModelProto model, int batch, int seed)
    {
        long size = model.Graph.Input[0].Type.TensorType.Shape.Dim.Skip(1).Aggregate(1L, (p, d) => p * d.DimValue);
        var random = new Random(seed);
        return [.. Enumerable.Range(0, (int)(size * batch)).Select(_ => (float)random.NextDouble())];
    }

    /// <summary>Writes <paramref name="model"/>, checks it with onnx.checker (full check) and runs it in ONNX Runtime.</summary>
    public static float[] CheckAndRun(ModelProto model, float[] input, int batch)
    {
        string path = Path.Combine(Path.GetTempPath(), $"pruned-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxModelFile.Write(model, path);
            OnnxChecker.AssertValid(path);
            using var session = new OnnxInferenceSession(path, intraOpThreads: 1);
            return session.Run(input, batch);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Zeroes, in a copy, what produces channel <paramref name="channel"/> of <paramref name="group"/> (producers' rows, biases, batchnorm scale and bias), so the channel carries zeros.</summary>
    public static ModelProto ZeroChannel(ModelProto model, GraphChannelGroup group, int channel)
    {
        ModelProto copy = model.Clone();
        var initializers = copy.Graph.Initializer.ToDictionary(t => t.Name);
        foreach (ChannelSlice slice in group.Slices.Where(s => s.Role is SliceRole.Bias or SliceRole.NormScale || (s.Role == SliceRole.Weight && IsProducerSlice(copy, s))))
        {
            TensorProto tensor = initializers[slice.Initializer];
            float[] values = FloatInitializers.Values(tensor);
            long[] dims = [.. tensor.Dims];
            long inner = dims.Skip(slice.Axis + 1).Aggregate(1L, (p, d) => p * d);
            for (long i = 0; i < values.LongLength; i++)
            {
                long index = i / inner % dims[slice.Axis];
                if (index >= slice.Offset + (channel * slice.Block) && index < slice.Offset + ((channel + 1) * slice.Block))
                {
                    values[i] = 0;
                }
            }
            FloatInitializers.Set(tensor, values, dims);
        }
        return copy;
    }

    /// <summary>Whether the slice is a producer's output rows: Conv weight axis 0 (not depthwise), Gemm weight (transB) axis 0, MatMul weight axis 1.</summary>
    private static bool IsProducerSlice(ModelProto model, ChannelSlice slice)
    {
        NodeProto node = model.Graph.Node.First(n => n.Input.Contains(slice.Initializer));
        bool depthwise = node.OpType == "Conv" && (node.Attribute.FirstOrDefault(a => a.Name == "group")?.I ?? 1) > 1;
        return !depthwise && (node.OpType, slice.Axis) is ("Conv", 0) or ("Gemm", 0) or ("MatMul", 1);
    }

    public static double MaxDifference(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Zip(b, (x, y) => Math.Abs((double)x - y)).DefaultIfEmpty(0).Max();
    }
}
