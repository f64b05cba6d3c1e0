using Compression.Onnx.Proto;
using Compression.Quantization.Graph;
using Compression.Quantization.Parameters;
using Compression.Quantization.Ranges;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace Compression.Quantization.Qdq;

/// <summary>
/// Empirical bias correction (Nagel et al. 2019, "Data-Free Quantization Through Weight Equalization and
/// Bias Correction", section 4.2): rounding a layer's weights to int8 adds an error ε = W_q − W whose
/// product with the layer's input does not average out, so each output channel's mean moves by
/// E[ε x]. That shift is measured with x the node's actual input in the int8 model (dequantized, so
/// it carries the error of the layers before it) on the calibration batches, and subtracted from the
/// float bias before the rewriter turns it into int32. Conv and Gemm only: a MatMul has no bias to
/// correct. On ML.NET's ResNet-18 with a fitted head it moved fully-int8 agreement with fp32 from 95.7%
/// to 96.4% of the bench's held-out rows (README, "A pretrained network as the app's model").
/// </summary>
public static class BiasCorrection
{
    /// <summary>
    /// Corrects, in place, the biases of <paramref name="nodes"/> (nodes of <paramref name="model"/>, the float
    /// model about to be rewritten with the same <paramref name="passThrough"/>, <paramref name="ranges"/> and
    /// <paramref name="options"/>); a Conv or Gemm without a bias gets one.
    /// </summary>
    public static BiasCorrectionOutcome Apply(
        ModelProto model, IReadOnlyList<NodeProto> nodes, IReadOnlyList<NodeProto> passThrough, IReadOnlyDictionary<string, TensorRange> ranges,
        QdqOptions options, IEnumerable<(float[] Batch, int Count)> batches, CancellationToken cancellationToken)
    {
        var correctable = nodes.Where(n => n.OpType is "Conv" or "Gemm").ToList();
        if (correctable.Count == 0)
        {
            return new BiasCorrectionOutcome(0, 0);
        }

        // The int8 model these nodes become: the same rewrite on a copy.
        var (int8, twins) = QdqRewriter.ApplyToCopy(model, nodes, passThrough, ranges, options);
        var inputs = correctable.Select(n => twins[n].Input[0]).Distinct(StringComparer.Ordinal).ToList();
        var means = InputMeans(int8, inputs, batches, cancellationToken);

        var editor = new GraphEditor(model.Graph);
        double largest = 0;
        foreach (NodeProto node in correctable)
        {
            var (mean, shape) = means[twins[node].Input[0]];
            double[] shift = Shift(node, editor.Initializer(node.Input[1]), mean, shape, options.PerChannel);
            largest = Math.Max(largest, shift.Max(Math.Abs));
            SubtractFromBias(model.Graph, editor, node, shift);
        }
        return new BiasCorrectionOutcome(correctable.Count, largest);
    }

    /// <summary>Per output channel, E[ε x]: the mean input map through the layer with ε as its weight, averaged over output positions.</summary>
    private static double[] Shift(NodeProto node, TensorProto weight, float[] mean, long[] shape, bool perChannel)
    {
        float[] weights = GraphEditor.Floats(weight);
        int channels = (int)weight.Dims[0];
        int perOutput = weights.Length / channels;
        QuantizedWeight quantized = QuantizedWeight.ChannelsFirst(weights, channels, perChannel);
        float[] error = new float[weights.Length];
        for (int i = 0; i < weights.Length; i++)
        {
            error[i] = (quantized.Values[i] * quantized.Scales[i / perOutput]) - weights[i];
        }
        var shift = new double[channels];
        if (node.OpType == "Gemm")
        {
            for (int c = 0; c < channels; c++)
            {
                double sum = 0;
                for (int k = 0; k < perOutput; k++)
                {
                    sum += error[(c * perOutput) + k] * mean[k];
                }
                shift[c] = sum;
            }
            return shift;
        }
        // A Conv: run the node itself (its strides, pads, groups, dilations) on the mean input with ε as weight.
        var graph = new GraphProto { Name = "shift" };
        graph.Input.Add(new ValueInfoProto { Name = "x", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } } });
        graph.Output.Add(new ValueInfoProto { Name = "y", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } } });
        graph.Initializer.Add(GraphEditor.FloatTensor("e", weight.Dims, error));
        var conv = new NodeProto { OpType = "Conv", Name = "conv" };
        conv.Input.Add("x");
        conv.Input.Add("e");
        conv.Output.Add("y");
        conv.Attribute.AddRange(node.Attribute);
        graph.Node.Add(conv);
        var probe = new ModelProto { IrVersion = 8, Graph = graph };
        probe.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        using var session = new InferenceSession(probe.ToByteArray());
        using var input = OrtValue.CreateTensorValueFromMemory(mean, [1, .. shape]);
        using var results = session.Run(new RunOptions(), ["x"], [input], ["y"]);
        ReadOnlySpan<float> output = results[0].GetTensorDataAsSpan<float>();
        int positions = output.Length / channels;
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            foreach (float value in output.Slice(c * positions, positions))
            {
                sum += value;
            }
            shift[c] = sum / positions;
        }
        return shift;
    }

    private static void SubtractFromBias(GraphProto graph, GraphEditor editor, NodeProto node, double[] shift)
    {
        bool hasBias = node.Input.Count > 2 && node.Input[2].Length > 0;
        float[] bias = hasBias ? GraphEditor.Floats(editor.Initializer(node.Input[2])) : new float[shift.Length];
        for (int c = 0; c < bias.Length; c++)
        {
            bias[c] -= (float)shift[c];
        }
        string name = hasBias ? node.Input[2] : Unique(graph, TensorNames.CorrectedBias(node.Input[1]));
        if (hasBias)
        {
            graph.Initializer.Remove(editor.Initializer(name));
        }
        graph.Initializer.Add(GraphEditor.FloatTensor(name, [bias.Length], bias));
        if (!hasBias)
        {
            while (node.Input.Count < 3)
            {
                node.Input.Add("");
            }
            node.Input[2] = name;
        }
    }

    /// <summary>Per tensor, its element-wise mean over every calibration sample, and the shape of one sample.</summary>
    private static Dictionary<string, (float[] Mean, long[] Shape)> InputMeans(ModelProto model, List<string> tensors, IEnumerable<(float[] Batch, int Count)> batches, CancellationToken cancellationToken)
    {
        var sums = new double[tensors.Count][];
        var shapes = new long[tensors.Count][];
        var samples = new long[tensors.Count];
        ProbeRuns.Run(model, tensors, batches, (i, values, shape) =>
        {
            int rows = (int)shape[0];
            int size = values.Length / Math.Max(rows, 1);
            sums[i] ??= new double[size];
            shapes[i] ??= shape[1..];
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> row = values.Slice(r * size, size);
                for (int j = 0; j < size; j++)
                {
                    sums[i][j] += row[j];
                }
            }
            samples[i] += rows;
        }, cancellationToken);
        if (samples.Any(s => s == 0))
        {
            throw new InvalidOperationException("bias correction saw no calibration sample");
        }
        return tensors.Select((t, i) => (t, i)).ToDictionary(
            p => p.t, p => (sums[p.i].Select(s => (float)(s / samples[p.i])).ToArray(), shapes[p.i]), StringComparer.Ordinal);
    }

    private static string Unique(GraphProto graph, string name)
    {
        var taken = graph.Initializer.Select(t => t.Name).Concat(graph.Node.SelectMany(n => n.Output)).Concat(graph.Input.Select(i => i.Name)).ToHashSet(StringComparer.Ordinal);
        string candidate = name;
        for (int i = 1; taken.Contains(candidate); i++)
        {
            candidate = $"{name}_{i}";
        }
        return candidate;
    }
}
