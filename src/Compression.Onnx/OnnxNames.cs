using Compression.Onnx.Proto;

namespace Compression.Onnx;

/// <summary>Names for what an edit adds to an existing graph.</summary>
public static class OnnxNames
{
    /// <summary>
    /// A tensor name no node, initializer, input or output of <paramref name="graph"/> uses yet:
    /// <paramref name="name"/>, else <c>name_1</c>, <c>name_2</c>, ...
    /// </summary>
    public static string Unique(GraphProto graph, string name)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var taken = graph.Node.SelectMany(n => n.Output.Concat(n.Input))
            .Concat(graph.Initializer.Select(t => t.Name))
            .Concat(graph.Input.Select(i => i.Name))
            .Concat(graph.Output.Select(o => o.Name))
            .ToHashSet(StringComparer.Ordinal);
        string candidate = name;
        for (int i = 1; taken.Contains(candidate); i++)
        {
            candidate = $"{name}_{i}";
        }
        return candidate;
    }
}
