using Compression.Core.AppModel;
using Compression.Data.Loading;
using Compression.Onnx.Proto;

namespace Compression.Core.Teacher.Backbone;

/// <summary>
/// Puts in front of a teacher's graph what turns the pipeline's samples (the data's shape, normalised by
/// <c>data.normalization</c>) into what the teacher declares it takes (<see cref="InputContract"/>): the
/// data's normalisation undone, a bilinear resize to the declared size, a grayscale channel repeated to
/// the declared channels, and the declared <c>(x * scale - mean[c]) / std[c]</c>. Inside the graph, so
/// every use of the teacher (cached logits, an online teacher, feature taps) sees the same input as the
/// students, and a 28x28 student can learn from a 224x224 backbone without a second copy of the data.
/// </summary>
internal static class InputAdapter
{
    /// <summary>Rewrites <paramref name="model"/>'s only input to take samples of <paramref name="dataShape"/>.</summary>
    /// <exception cref="ArgumentException">The data cannot be adapted: another layout than NCHW where resizing or
    /// repeating channels is needed, a channel count that is neither the declared one nor 1, or a sample size
    /// that differs where nothing is resized.</exception>
    public static void Prepend(ModelProto model, IReadOnlyList<int> dataShape, InputNormalization data, InputContract contract)
    {
        GraphProto graph = model.Graph;
        ValueInfoProto original = GraphEdit.OnlyInput(graph);
        long? batch = GraphEdit.BatchOf(original);
        bool adapts = contract.Layout == "NCHW" && dataShape.Count == 3
            && (dataShape[0] != contract.SampleShape[0] || dataShape[1] != contract.SampleShape[1] || dataShape[2] != contract.SampleShape[2]);
        if (!adapts && dataShape.Aggregate(1L, (a, b) => a * b) != contract.SampleSize)
        {
            throw new ArgumentException($"the data's samples have shape [{string.Join(", ", dataShape)}] and the teacher takes {contract.Layout} [{string.Join(", ", contract.SampleShape)}]: resizing and repeating channels work on NCHW images ([channels, height, width] samples)");
        }
        if (adapts && dataShape[0] != contract.Channels && dataShape[0] != 1)
        {
            throw new ArgumentException($"the data's samples have {dataShape[0]} channels and the teacher takes {contract.Channels}: only a single (grayscale) channel is repeated");
        }

        int before = graph.Node.Count;
        string input = GraphEdit.Unique(graph, "samples");
        string x = input;
        if (data.Kind == "scale" && data.Scale != 1)
        {
            x = Step(model, "Mul", x, "undo_scale", [], [1 / data.Scale]);
        }
        else if (data.Kind == "standardize")
        {
            long[] dims = [1, .. dataShape.Select(d => (long)d)];
            x = Step(model, "Mul", x, "undo_std", dims, data.Std);
            x = Step(model, "Add", x, "undo_mean", dims, data.Mean);
        }
        if (adapts)
        {
            (int height, int width) = (dataShape[1], dataShape[2]);
            (int toHeight, int toWidth) = (contract.SampleShape[1], contract.SampleShape[2]);
            if (width != toWidth)
            {
                float[] columns = BilinearResize.Transpose(BilinearResize.Matrix(width, toWidth), toWidth, width);
                x = GraphEdit.AddNode(graph, "MatMul", [x, GraphEdit.AddConstant(model, "resize_width", [width, toWidth], columns)], "resized_width");
            }
            if (height != toHeight)
            {
                string rows = GraphEdit.AddConstant(model, "resize_height", [toHeight, height], BilinearResize.Matrix(height, toHeight));
                x = GraphEdit.AddNode(graph, "MatMul", [rows, x], "resized");
            }
            if (dataShape[0] == 1 && contract.Channels > 1)
            {
                x = GraphEdit.AddNode(graph, "Concat", [.. Enumerable.Repeat(x, contract.Channels)], "channels",
                    n => n.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 }));
            }
        }
        long[] perChannel = contract.Layout switch
        {
            "NCHW" => [1, contract.Channels, 1, 1],
            "NHWC" => [1, 1, 1, contract.Channels],
            _ => [1, contract.SampleShape[0]],
        };
        long[] Dims(IReadOnlyList<double> values) => values.Count == 1 ? [] : perChannel;
        if (contract.Scale != 1)
        {
            x = Step(model, "Mul", x, "scale", [], [(float)contract.Scale]);
        }
        if (contract.Mean.Count > 0)
        {
            x = Step(model, "Sub", x, "mean", Dims(contract.Mean), [.. contract.Mean.Select(v => (float)v)]);
        }
        if (contract.Std.Count > 0)
        {
            x = Step(model, "Div", x, "std", Dims(contract.Std), [.. contract.Std.Select(v => (float)v)]);
        }

        // The new nodes run first; the model's readers of its old input read the adapted samples.
        var added = graph.Node.Skip(before).ToList();
        foreach (NodeProto node in graph.Node.Take(before))
        {
            for (int i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == original.Name)
                {
                    node.Input[i] = x;
                }
            }
        }
        foreach (NodeProto node in added)
        {
            graph.Node.Remove(node);
        }
        for (int i = 0; i < added.Count; i++)
        {
            graph.Node.Insert(i, added[i]);
        }
        if (x == input)
        {
            // Nothing to adapt: the samples go straight in.
            foreach (NodeProto node in graph.Node)
            {
                for (int i = 0; i < node.Input.Count; i++)
                {
                    if (node.Input[i] == input)
                    {
                        node.Input[i] = original.Name;
                    }
                }
            }
            return;
        }
        int index = graph.Input.IndexOf(original);
        graph.Input[index] = GraphEdit.ValueInfo(input, [batch, .. dataShape.Select(d => (long?)d)]);
    }

    private static string Step(ModelProto model, string op, string x, string name, long[] dims, float[] values) =>
        GraphEdit.AddNode(model.Graph, op, [x, GraphEdit.AddConstant(model, name, dims, values)], name);
}
