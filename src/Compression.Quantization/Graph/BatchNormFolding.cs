using Compression.Onnx;
using Compression.Onnx.Proto;

namespace Compression.Quantization.Graph;

/// <summary>
/// Folds each BatchNormalization that directly follows a Conv into the Conv's weight and bias, as
/// ONNX Runtime's quantization pre-processing and PyTorch's fuse_modules do before int8: otherwise the
/// conv output is quantized before the normalisation and again after it (two rounding errors per
/// layer instead of one) and ONNX Runtime cannot fuse the QDQ conv into QLinearConv with the
/// normalisation in between. Exact in real arithmetic: y = s (W x + b - m) / sqrt(v + e) + B becomes
/// W' x + b' with W' = W f and b' = (b - m) f + B per output channel, f = s / sqrt(v + e).
/// </summary>
public static class BatchNormFolding
{
    /// <summary>Folds in place; returns the names of the BatchNormalization nodes folded away.</summary>
    public static IReadOnlyList<string> Apply(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        GraphProto graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (Output: o, Node: n))).ToDictionary(p => p.Output, p => p.Node, StringComparer.Ordinal);
        var readers = graph.Node.SelectMany(n => n.Input).Concat(graph.Output.Select(o => o.Name)).GroupBy(n => n, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var editor = new GraphEditor(graph);
        var folded = new List<string>();
        foreach (NodeProto norm in graph.Node.Where(n => n.OpType == "BatchNormalization" && n.Domain is "" or "ai.onnx").ToList())
        {
            if (!Foldable(norm, initializers, producers, readers, out NodeProto? conv))
            {
                continue;
            }
            foreach (string replaced in conv.Input.Skip(1).Concat(norm.Input.Skip(1)).Where(i => i.Length > 0))
            {
                editor.Replaced(replaced);
            }
            if (graph.ValueInfo.FirstOrDefault(v => v.Name == conv.Output[0]) is { } stale)
            {
                graph.ValueInfo.Remove(stale);
            }
            Fold(graph, conv, norm, initializers);
            graph.Node.Remove(norm);
            folded.Add(norm.Name);
        }
        // Weights only the folded convs read are gone: their folded copies replaced them.
        editor.Finish();
        return folded;
    }

    private static bool Foldable(NodeProto norm, Dictionary<string, TensorProto> initializers, Dictionary<string, NodeProto> producers, Dictionary<string, int> readers, out NodeProto conv)
    {
        conv = null!;
        bool inference = norm.Input.Count == 5 && (norm.Output.Count == 1 || norm.Output.Skip(1).All(o => o.Length == 0 || !readers.ContainsKey(o)))
            && norm.Attribute.All(a => a.Name != "training_mode" || a.I == 0);
        if (!inference || !norm.Input.Skip(1).All(name => initializers.TryGetValue(name, out TensorProto? t) && IsFloat(t))
            || !producers.TryGetValue(norm.Input[0], out NodeProto? producer) || producer.OpType != "Conv" || producer.Domain is not ("" or "ai.onnx")
            || readers.GetValueOrDefault(norm.Input[0]) != 1
            || producer.Input.Count < 2 || !initializers.TryGetValue(producer.Input[1], out TensorProto? weight) || !IsFloat(weight) || weight.Dims.Count < 3
            || (producer.Input.Count > 2 && producer.Input[2].Length > 0 && !(initializers.TryGetValue(producer.Input[2], out TensorProto? bias) && IsFloat(bias))))
        {
            return false;
        }
        conv = producer;
        return true;
    }

    private static void Fold(GraphProto graph, NodeProto conv, NodeProto norm, Dictionary<string, TensorProto> initializers)
    {
        float epsilon = norm.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f;
        float[] scale = GraphEditor.Floats(initializers[norm.Input[1]]), shift = GraphEditor.Floats(initializers[norm.Input[2]]);
        float[] mean = GraphEditor.Floats(initializers[norm.Input[3]]), variance = GraphEditor.Floats(initializers[norm.Input[4]]);
        TensorProto weight = initializers[conv.Input[1]];
        float[] w = GraphEditor.Floats(weight);
        int channels = (int)weight.Dims[0], perChannel = w.Length / channels;
        bool hasBias = conv.Input.Count > 2 && conv.Input[2].Length > 0;
        float[] b = hasBias ? GraphEditor.Floats(initializers[conv.Input[2]]) : new float[channels];
        var foldedBias = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            // Double precision for the factor: folding should not add rounding the model did not have.
            double factor = scale[c] / Math.Sqrt(variance[c] + (double)epsilon);
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++)
            {
                w[i] = (float)(w[i] * factor);
            }
            foldedBias[c] = (float)(((b[c] - mean[c]) * factor) + shift[c]);
        }
        TensorProto newWeight = GraphEditor.FloatTensor(OnnxNames.Unique(graph, $"{weight.Name}_bn"), weight.Dims, w);
        TensorProto newBias = GraphEditor.FloatTensor(OnnxNames.Unique(graph, $"{norm.Name}_bias".TrimStart('_')), [channels], foldedBias);
        graph.Initializer.Add(newWeight);
        graph.Initializer.Add(newBias);
        initializers[newWeight.Name] = newWeight;
        initializers[newBias.Name] = newBias;
        conv.Input[1] = newWeight.Name;
        if (hasBias)
        {
            conv.Input[2] = newBias.Name;
        }
        else if (conv.Input.Count == 2)
        {
            conv.Input.Add(newBias.Name);
        }
        else
        {
            conv.Input[2] = newBias.Name;
        }
        conv.Output[0] = norm.Output[0];
    }

    private static bool IsFloat(TensorProto tensor) => tensor.DataType == (int)TensorProto.Types.DataType.Float;
}
