using Compression.Onnx.Proto;

namespace Compression.Models.GraphPruning;

/// <summary>
/// The channel groups of an ONNX graph (see <see cref="GraphChannelGroup"/>), found by walking its
/// nodes: Conv (groups of 1, and depthwise ones, whose channels follow their input), Gemm and MatMul
/// with constant weights start groups; BatchNormalization, activations, pooling, Dropout, Identity and
/// Cast pass them on; Add, Sub, Mul, Div, Max, Min and Pow join their operands' groups (a residual
/// block's branches share one); Concat lines groups up at their offsets; Flatten or a Reshape to
/// [batch, -1] makes each channel its spatial block of a Gemm's columns. Any other operator, a graph
/// output, a grouped convolution, or a constant read by several nodes fixes the groups it touches:
/// they keep every channel, so an edit never produces a wrong graph.
/// </summary>
public sealed class GraphChannels
{
    private readonly IReadOnlyDictionary<string, int> _producedBy;

    internal GraphChannels(IReadOnlyList<GraphChannelGroup> groups, IReadOnlyDictionary<string, TensorLayout> layouts, IReadOnlyDictionary<int, TensorLayout> depthwise, IReadOnlyDictionary<string, int> producedBy)
    {
        (Groups, Layouts, Depthwise, _producedBy) = (groups, layouts, depthwise, producedBy);
    }

    /// <summary>Every group, prunable or not, by <see cref="GraphChannelGroup.Id"/>.</summary>
    public IReadOnlyList<GraphChannelGroup> Groups { get; }

    /// <summary>The names of the nodes that start a group (a node without a name is known by its first output).</summary>
    public IEnumerable<string> Producers => _producedBy.Keys;

    /// <summary>The channel layout of every tracked tensor.</summary>
    internal IReadOnlyDictionary<string, TensorLayout> Layouts { get; }

    /// <summary>Depthwise Conv nodes (by index in the graph's node list) with their input's layout: their <c>group</c> follows it.</summary>
    internal IReadOnlyDictionary<int, TensorLayout> Depthwise { get; }

    /// <summary>Finds the groups of <paramref name="model"/>.</summary>
    /// <param name="model">The model; not changed.</param>
    /// <param name="exclude">Names of nodes (Conv, Gemm, MatMul) whose output channels are all kept.</param>
    /// <exception cref="Import.OnnxImportException">The graph is malformed (a tensor read that nothing provides, a cycle).</exception>
    public static GraphChannels Of(ModelProto model, IReadOnlyCollection<string> exclude)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(exclude);
        return GraphChannelWalker.Walk(model, exclude);
    }

    /// <summary>How groups name a node: its name, or its first output's when it has none.</summary>
    public static string NameOf(NodeProto node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return GraphChannelWalker.NameOf(node);
    }

    /// <summary>The group started by the node named <paramref name="node"/>, or null when no group starts there.</summary>
    public GraphChannelGroup? GroupOf(string node) => _producedBy.TryGetValue(node, out int id) ? Groups[id] : null;
}
