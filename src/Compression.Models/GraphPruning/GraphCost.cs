using Compression.Onnx;
using Compression.Onnx.Proto;

namespace Compression.Models.GraphPruning;

/// <summary>What a pruning target measures on a graph: multiply-adds per sample (<see cref="OnnxFlops"/>) or parameters (<see cref="OnnxModelInfo.CountParameters(ModelProto)"/>).</summary>
public static class GraphCost
{
    /// <summary>The cost of <paramref name="model"/> in <paramref name="measure"/> ("flops" or "params").</summary>
    /// <exception cref="Pruning.PruningTargetException">FLOPs asked of a graph whose operators the counter does not all understand.</exception>
    public static long Of(ModelProto model, string measure)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (measure == "params")
        {
            return OnnxModelInfo.CountParameters(model);
        }
        return OnnxFlops.Count(model) ?? throw new Pruning.PruningTargetException(
            $"the graph's multiply-adds cannot be counted: the FLOPs counter does not propagate shapes through {string.Join(", ", UncountedOperators(model))}; give targetParamsRatio instead");
    }

    private static IEnumerable<string> UncountedOperators(ModelProto model)
    {
        IReadOnlyDictionary<string, long[]> shapes = OnnxShapes.Infer(model);
        return model.Graph.Node.Where(n => n.OpType != "Constant" && n.Output.Any(o => o.Length > 0 && !shapes.ContainsKey(o))).Select(n => n.OpType).Distinct().Take(3);
    }
}
