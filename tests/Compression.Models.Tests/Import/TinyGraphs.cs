using Compression.Models.Import;
using Compression.Onnx;
using Compression.Onnx.Proto;
using static TorchSharp.torch;

namespace Compression.Models.Tests.Import;

/// <summary>Hand-built one-node float graphs for the variants the backend tests do not cover.</summary>
internal static class TinyGraphs
{
    public static ModelProto Model(long opset, IEnumerable<NodeProto> nodes, (string Name, long[] Shape)[] inputs, string[] outputs, params TensorProto[] initializers) =>
        Model(opset, nodes, inputs, [.. outputs.Select(o => (o, TensorProto.Types.DataType.Float))], initializers);

    public static ModelProto Model(long opset, IEnumerable<NodeProto> nodes, (string Name, long[] Shape)[] inputs, (string Name, TensorProto.Types.DataType Type)[] outputs, params TensorProto[] initializers)
    {
        var graph = new GraphProto { Name = "tiny" };
        graph.Node.AddRange(nodes);
        graph.Input.AddRange(inputs.Select(i => Value(i.Name, i.Shape, TensorProto.Types.DataType.Float)));
        graph.Output.AddRange(outputs.Select(o => Value(o.Name, null, o.Type)));
        graph.Initializer.AddRange(initializers);
        var model = new ModelProto { IrVersion = OnnxGraphBuilder.IrVersion, ProducerName = "import-tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }

    /// <summary>A float initializer of values uniform in [-scale, scale) (seeded).</summary>
    public static TensorProto Weight(string name, long[] shape, int seed, double scale = 1)
    {
        var random = new Random(seed);
        long count = shape.Aggregate(1L, (a, b) => a * b);
        using Tensor value = tensor(Enumerable.Range(0, (int)count).Select(_ => (float)(((random.NextDouble() * 2) - 1) * scale)).ToArray(), shape);
        return OnnxTensors.FloatProto(value, name);
    }

    public static Tensor Input(long[] shape, int seed, double scale = 1) => OnnxTensors.ToTensor(Weight("input", shape, seed, scale));

    /// <summary>Writes <paramref name="model"/>, runs it in ONNX Runtime and in the imported module; returns the larger scaled difference per output.</summary>
    public static double CompareWithRuntime(ModelProto model, Dictionary<string, Tensor> inputs)
    {
        string path = Path.Combine(Path.GetTempPath(), $"tiny-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxModelFile.Write(model, path);
            Dictionary<string, TensorValues> expected = RuntimeRunner.Run(path, inputs);
            using var module = new OnnxGraphModule(model);
            module.eval();
            using var noGrad = no_grad();
            IReadOnlyDictionary<string, Tensor> actual = module.Forward(inputs);
            return expected.Max(e => e.Value.ScaledDifference(TensorValues.Of(actual[e.Key]), $"output '{e.Key}'"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>An int64 initializer (axes, shapes).</summary>
    public static TensorProto Longs(string name, params long[] values)
    {
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        proto.Dims.Add(values.Length);
        proto.Int64Data.AddRange(values);
        return proto;
    }

    private static ValueInfoProto Value(string name, long[]? shape, TensorProto.Types.DataType elementType)
    {
        var type = new TypeProto.Types.Tensor { ElemType = (int)elementType };
        if (shape is not null)
        {
            type.Shape = new TensorShapeProto();
            type.Shape.Dim.AddRange(shape.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = type } };
    }
}
