using Compression.Onnx.Proto;

namespace Compression.Models.Import;

/// <summary>
/// The nodes of a graph in an order where each runs after the nodes producing its inputs (the file's
/// own order where it allows), with the wiring checked: every input a node reads and every graph
/// output is a graph input, an initializer or some node's output; no tensor has two producers; no cycle.
/// </summary>
internal static class GraphOrder
{
    /// <summary>Indices into <c>graph.Node</c>, in running order.</summary>
    public static int[] Sort(GraphProto graph, IReadOnlySet<string> available)
    {
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < graph.Node.Count; i++)
        {
            foreach (string output in graph.Node[i].Output.Where(o => o.Length > 0))
            {
                if (available.Contains(output) || !producer.TryAdd(output, i))
                {
                    throw new OnnxImportException($"tensor '{output}' has two producers (node '{graph.Node[i].Name}' is the second)");
                }
            }
        }
        var dependents = new List<int>[graph.Node.Count];
        var waiting = new int[graph.Node.Count];
        for (int i = 0; i < graph.Node.Count; i++)
        {
            dependents[i] = [];
        }
        for (int i = 0; i < graph.Node.Count; i++)
        {
            NodeProto node = graph.Node[i];
            foreach (string input in node.Input.Where(n => n.Length > 0).Distinct())
            {
                if (producer.TryGetValue(input, out int from))
                {
                    dependents[from].Add(i);
                    waiting[i]++;
                }
                else if (!available.Contains(input))
                {
                    throw new OnnxImportException($"node '{node.Name}' ({node.OpType}) reads tensor '{input}', which no node, graph input or initializer provides");
                }
            }
        }
        foreach (ValueInfoProto output in graph.Output.Where(o => !producer.ContainsKey(o.Name) && !available.Contains(o.Name)))
        {
            throw new OnnxImportException($"graph output '{output.Name}' is produced by no node and is no input or initializer");
        }
        var ready = new SortedSet<int>(Enumerable.Range(0, graph.Node.Count).Where(i => waiting[i] == 0));
        var order = new List<int>(graph.Node.Count);
        while (ready.Count > 0)
        {
            int next = ready.Min;
            ready.Remove(next);
            order.Add(next);
            foreach (int dependent in dependents[next])
            {
                if (--waiting[dependent] == 0)
                {
                    ready.Add(dependent);
                }
            }
        }
        if (order.Count != graph.Node.Count)
        {
            NodeProto stuck = graph.Node[Enumerable.Range(0, graph.Node.Count).First(i => !order.Contains(i))];
            throw new OnnxImportException($"the graph has a cycle through node '{stuck.Name}' ({stuck.OpType})");
        }
        return [.. order];
    }
}
