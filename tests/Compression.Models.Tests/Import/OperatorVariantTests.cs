using Compression.Onnx;
using Compression.Onnx.Proto;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Compression.Models.Tests.Import;

/// <summary>
/// Variants that libonnx-testdata (ONNX 1.12) has no node test for, against ONNX Runtime: grouped,
/// dilated and SAME_LOWER convolutions with weights as initializers (so as parameters), and Gelu
/// (opset 20). Tolerance as in <see cref="BackendNodeTests"/>.
/// </summary>
public class OperatorVariantTests(ITestOutputHelper output)
{
    public static TheoryData<string, long[], long[], long, long[]?, long[]?, long[]?, string?> Convolutions => new()
    {
        // name, input, weight, group, strides, dilations, pads, auto_pad
        { "grouped, dilated, asymmetric pads", [2, 4, 9, 8], [6, 2, 3, 3], 2, [2, 1], [2, 2], [1, 2, 2, 1], null },
        { "depthwise, SAME_UPPER, stride 2", [1, 4, 7, 7], [4, 1, 3, 3], 4, [2, 2], null, null, "SAME_UPPER" },
        { "SAME_LOWER, stride 2", [1, 3, 8, 7], [5, 3, 3, 3], 1, [2, 2], null, null, "SAME_LOWER" },
        { "VALID", [1, 3, 6, 6], [2, 3, 3, 3], 1, null, null, null, "VALID" },
        { "1d, dilated, padded", [2, 3, 11], [4, 3, 3], 1, [1], [2], [2, 1], null },
        { "3d, grouped", [1, 4, 5, 6, 5], [4, 2, 3, 3, 3], 2, [1, 2, 1], null, [1, 1, 0, 1, 0, 1], null },
    };

    [Theory]
    [MemberData(nameof(Convolutions))]
    public void Conv_variant_matches_ONNX_Runtime(string name, long[] input, long[] weight, long group, long[]? strides, long[]? dilations, long[]? pads, string? autoPad)
    {
        var node = new NodeProto { Name = "conv", OpType = "Conv", Input = { "x", "w", "b" }, Output = { "y" } }.Int("group", group);
        if (strides is not null)
        {
            node.Ints("strides", strides);
        }
        if (dilations is not null)
        {
            node.Ints("dilations", dilations);
        }
        if (pads is not null)
        {
            node.Ints("pads", pads);
        }
        if (autoPad is not null)
        {
            node.String("auto_pad", autoPad);
        }
        ModelProto model = TinyGraphs.Model(11, [node], [("x", input)], ["y"], TinyGraphs.Weight("w", weight, 1), TinyGraphs.Weight("b", [weight[0]], 2));
        double difference = TinyGraphs.CompareWithRuntime(model, new() { ["x"] = TinyGraphs.Input(input, 3) });
        output.WriteLine($"Conv {name}: {difference:G3}");
        Assert.True(difference <= 1e-4, $"Conv {name}: scaled difference {difference:G3}");
    }

    [Theory]
    [InlineData("none")]
    [InlineData("tanh")]
    public void Gelu_matches_ONNX_Runtime(string approximate)
    {
        var node = new NodeProto { Name = "gelu", OpType = "Gelu", Input = { "x" }, Output = { "y" } }.String("approximate", approximate);
        ModelProto model = TinyGraphs.Model(20, [node], [("x", [3, 7])], ["y"]);
        using Tensor x = TinyGraphs.Input([3, 7], 4, scale: 3);
        double difference = TinyGraphs.CompareWithRuntime(model, new() { ["x"] = x });
        output.WriteLine($"Gelu approximate={approximate}: {difference:G3}");
        Assert.True(difference <= 1e-4, $"Gelu approximate={approximate}: scaled difference {difference:G3}");
    }
}
