using System.Runtime.InteropServices;
using Compression.Onnx.Proto;
using Google.Protobuf;

namespace Compression.Plugins.Calibration;

/// <summary>
/// Writes a temperature into an ONNX classifier so every consumer gets calibrated probabilities:
/// when the output comes from a Gemm whose weights and bias belong to it alone, 1/T is folded into
/// them (no extra node, no extra latency); otherwise a Div by T is appended to the output.
/// </summary>
public static class TemperatureFolding
{
    /// <summary>Rewrites <paramref name="model"/> in place; returns what was done, for the report.</summary>
    public static string Apply(ModelProto model, double temperature)
    {
        GraphProto graph = model.Graph;
        string output = graph.Output[0].Name;
        NodeProto? producer = graph.Node.LastOrDefault(n => n.Output.Contains(output));
        if (producer is { OpType: "Gemm" } && producer.Input.Count >= 2
            && producer.Input.Skip(1).All(name => PrivateFloatInitializer(graph, name, producer) is not null))
        {
            foreach (string name in producer.Input.Skip(1))
            {
                Scale(PrivateFloatInitializer(graph, name, producer)!, 1 / temperature);
            }
            return $"folded 1/T into the weights and bias of Gemm '{producer.Name}'";
        }

        string raw = output + "_uncalibrated";
        foreach (NodeProto node in graph.Node)
        {
            for (int i = 0; i < node.Output.Count; i++)
            {
                if (node.Output[i] == output)
                {
                    node.Output[i] = raw;
                }
            }
        }
        var t = new TensorProto { Name = "calibration_temperature", DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.Add(1);
        t.FloatData.Add((float)temperature);
        graph.Initializer.Add(t);
        var div = new NodeProto { OpType = "Div", Name = "calibration_divide_by_temperature" };
        div.Input.Add(raw);
        div.Input.Add(t.Name);
        div.Output.Add(output);
        graph.Node.Add(div);
        return "appended a Div by T to the output";
    }

    private static TensorProto? PrivateFloatInitializer(GraphProto graph, string name, NodeProto owner)
    {
        TensorProto? tensor = graph.Initializer.FirstOrDefault(t => t.Name == name);
        bool sharedElsewhere = graph.Node.Any(n => !ReferenceEquals(n, owner) && n.Input.Contains(name));
        return tensor is not null && tensor.DataType == (int)TensorProto.Types.DataType.Float && !sharedElsewhere ? tensor : null;
    }

    private static void Scale(TensorProto tensor, double factor)
    {
        if (!tensor.RawData.IsEmpty)
        {
            float[] values = MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (float)(values[i] * factor);
            }
            tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
            return;
        }
        for (int i = 0; i < tensor.FloatData.Count; i++)
        {
            tensor.FloatData[i] = (float)(tensor.FloatData[i] * factor);
        }
    }
}
