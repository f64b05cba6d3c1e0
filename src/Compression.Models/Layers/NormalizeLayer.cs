using Compression.Models.Spec;
using Compression.Onnx;
using Compression.Onnx.Proto;
using static TorchSharp.torch;

namespace Compression.Models.Layers;

/// <summary>
/// <c>{"type": "normalize"}</c>: a feature vector divided by its L2 norm (at least 1e-12, as PyTorch's
/// F.normalize), so embeddings compare by dot product; exported as ReduceL2, Max and Div.
/// </summary>
public sealed class NormalizeLayer : LayerType
{
    /// <summary>The least norm divided by.</summary>
    internal const double MinimumNorm = 1e-12;

    public override string Name => "normalize";

    public override int[] OutputShape(LayerSettings settings, int[] input, string path)
    {
        RequireRank(input, 1, ": put it after mean-pool or a linear layer", path);
        return input;
    }

    public override nn.Module<Tensor, Tensor> CreateModule(LayerSettings settings, int[] input, int[] output) => new NormalizeModule();

    public override NodeProto? Export(LayerExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        OnnxGraphBuilder graph = export.Builder;
        string norm = export.Intermediate("norm"), clamped = export.Intermediate("norm_clamped");
        graph.AddNode("ReduceL2", [export.Input], [norm]).Ints("axes", 1).Int("keepdims", 1);
        graph.AddNode("Max", [norm, export.AddScalar("minimum_norm", (float)MinimumNorm)], [clamped]);
        return graph.AddNode("Div", [export.Input, clamped], [export.Output]);
    }
}
