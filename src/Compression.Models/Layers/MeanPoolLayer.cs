using Compression.Models.Spec;
using Compression.Onnx;
using Compression.Onnx.Proto;
using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary>
/// <c>{"type": "mean-pool"}</c>: a token sequence [length, hidden + 1] to [hidden], the mean of the hidden
/// states over the tokens its mask marks (sentence-transformers' mean pooling: the mask's sum clamped to
/// at least 1e-9, so a sample that is all padding gives zeros, not NaN). Exported as Slice, Mul,
/// ReduceSum, Max and Div.
/// </summary>
public sealed class MeanPoolLayer : LayerType
{
    /// <summary>The least token count divided by.</summary>
    internal const double MinimumCount = 1e-9;

    public override string Name => "mean-pool";

    public override int[] OutputShape(LayerSettings settings, int[] input, string path) => [TokenSequence.HiddenOf(input, Name, path)];

    public override nn.Module<Tensor, Tensor> CreateModule(LayerSettings settings, int[] input, int[] output) => new MeanPoolModule();

    public override NodeProto? Export(LayerExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        OnnxGraphBuilder graph = export.Builder;
        (string hidden, string mask) = TokenSequence.ExportSplit(export, export.OutputShape[0]);
        string masked = export.Intermediate("masked"), sum = export.Intermediate("sum"), count = export.Intermediate("count"), clamped = export.Intermediate("count_clamped");
        string tokenAxis = export.AddInt64s("token_axis", 1);
        graph.AddNode("Mul", [hidden, mask], [masked]);
        graph.AddNode("ReduceSum", [masked, tokenAxis], [sum]).Int("keepdims", 0);
        graph.AddNode("ReduceSum", [mask, tokenAxis], [count]).Int("keepdims", 0);
        graph.AddNode("Max", [count, export.AddScalar("minimum_count", (float)MinimumCount)], [clamped]);
        return graph.AddNode("Div", [sum, clamped], [export.Output]);
    }
}
