using Compression.Models.Import;
using Compression.Onnx;
using Compression.Onnx.Proto;
using Xunit.Abstractions;
using static TorchSharp.torch;
using DataType = Compression.Onnx.Proto.TensorProto.Types.DataType;

namespace Compression.Models.Tests.Import;

/// <summary>
/// The forms of ops that libonnx-testdata 1.12 runs only in one opset (axes as attribute or input,
/// Slice by attributes, the old Softmax, Clip by attributes, Cast to int64, pooling windows past the
/// padding), each a one-node graph against ONNX Runtime. Tolerance as in <see cref="BackendNodeTests"/>.
/// </summary>
public class OpsetFormTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases => [.. s_cases.Keys];

    private static readonly Dictionary<string, Func<(ModelProto Model, long[] Input)>> s_cases = new()
    {
        ["Unsqueeze, opset 11, axes attribute with a negative axis"] = () =>
            (One(11, Node("Unsqueeze").Ints("axes", 0, -1), [2, 3]), [2, 3]),
        ["Squeeze, opset 11, axes attribute with a negative axis"] = () =>
            (One(11, Node("Squeeze").Ints("axes", 1, -1), [2, 1, 3, 1]), [2, 1, 3, 1]),
        ["Squeeze, opset 13, no axes"] = () =>
            (One(13, Node("Squeeze"), [1, 3, 1]), [1, 3, 1]),
        ["ReduceMean, opset 18, axes input"] = () =>
            (One(18, Node("ReduceMean", "x", "axes").Int("keepdims", 0), [2, 3, 4], TinyGraphs.Longs("axes", 0, -1)), [2, 3, 4]),
        ["ReduceMean, opset 18, no axes and noop_with_empty_axes"] = () =>
            (One(18, Node("ReduceMean").Int("noop_with_empty_axes", 1), [2, 3]), [2, 3]),
        ["Slice, opset 9, attributes"] = () =>
            (One(9, Node("Slice").Ints("starts", 0, 1).Ints("ends", 1, 100).Ints("axes", 0, 2), [2, 3, 4]), [2, 3, 4]),
        ["Softmax, opset 11, over the flattened axes from 1"] = () =>
            (One(11, Node("Softmax"), [2, 3, 4]), [2, 3, 4]),
        ["Clip, opset 6, attributes"] = () =>
            (One(6, Node("Clip").Float("min", -0.5f).Float("max", 0.25f), [2, 3]), [2, 3]),
        ["Cast to int64"] = () =>
            (TinyGraphs.Model(13, [Node("Cast").Int("to", (long)DataType.Int64)], [("x", [2, 3])], [("y", DataType.Int64)]), [2, 3]),
        ["Dropout, opset 7, ratio attribute"] = () =>
            (One(7, Node("Dropout").Float("ratio", 0.3f), [2, 3]), [2, 3]),
        ["Reshape with 0 and -1 from an int64 initializer"] = () =>
            (One(13, Node("Reshape", "x", "shape"), [2, 3, 4], TinyGraphs.Longs("shape", 0, -1)), [2, 3, 4]),
        ["MaxPool, pads wider than half the kernel, ceil_mode"] = () =>
            (One(12, Node("MaxPool").Ints("kernel_shape", 2, 2).Ints("pads", 0, 1, 1, 1).Ints("strides", 2, 2).Int("ceil_mode", 1), [1, 2, 5, 6]), [1, 2, 5, 6]),
        ["AveragePool, asymmetric pads, ceil_mode, count_include_pad"] = () =>
            (One(11, Node("AveragePool").Ints("kernel_shape", 3, 3).Ints("pads", 1, 0, 0, 1).Ints("strides", 2, 2).Int("ceil_mode", 1).Int("count_include_pad", 1), [1, 2, 6, 7]), [1, 2, 6, 7]),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Op_form_matches_ONNX_Runtime(string name)
    {
        (ModelProto model, long[] input) = s_cases[name]();
        double difference = TinyGraphs.CompareWithRuntime(model, new() { ["x"] = TinyGraphs.Input(input, 9, scale: 2) });
        output.WriteLine($"{name}: {difference:G3}");
        Assert.True(difference <= 1e-4, $"{name}: scaled difference {difference:G3}");
    }

    [Fact]
    public void An_integer_initializer_stays_a_constant_buffer()
    {
        using var module = new OnnxGraphModule(One(13, Node("Reshape", "x", "shape"), [2, 3, 4], TinyGraphs.Longs("shape", 0, -1)));
        Assert.Empty(module.parameters());
        Assert.Equal(ScalarType.Int64, Assert.Single(module.buffers()).dtype);
    }

    private static NodeProto Node(string opType, params string[] inputs) =>
        new() { Name = opType.ToLowerInvariant(), OpType = opType, Input = { inputs.Length == 0 ? ["x"] : inputs }, Output = { "y" } };

    private static ModelProto One(long opset, NodeProto node, long[] input, params TensorProto[] initializers) =>
        TinyGraphs.Model(opset, [node], [("x", input)], ["y"], initializers);
}
