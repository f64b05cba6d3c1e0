using Compression.Onnx;
using Compression.Onnx.Proto;
using DataType = Compression.Onnx.Proto.TensorProto.Types.DataType;

namespace Compression.Models.Import;

/// <summary>
/// Writes an imported graph back as ONNX: the source model unchanged (nodes, opset, IR version,
/// metadata) except that every trainable initializer holds the module's current parameter value, so
/// fine-tuning changes the file and nothing else does. Written atomically (temp file, then rename).
/// </summary>
public static class OnnxGraphExporter
{
    /// <summary>The source model with the module's current parameters as its initializers.</summary>
    public static ModelProto ToModel(OnnxGraphModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        ModelProto model = module.Source.Clone();
        foreach (TensorProto initializer in model.Graph.Initializer.Where(t => module.ParameterNames.ContainsKey(t.Name)))
        {
            TensorProto current = OnnxTensors.FloatProto(module.Initializer(initializer.Name), initializer.Name);
            if (!current.Dims.SequenceEqual(initializer.Dims))
            {
                throw new InvalidOperationException(
                    $"parameter for initializer '{initializer.Name}' has shape [{string.Join(", ", current.Dims)}], the graph declares [{string.Join(", ", initializer.Dims)}]");
            }
            initializer.FloatData.Clear();
            initializer.DataType = (int)DataType.Float;
            initializer.RawData = current.RawData;
        }
        return model;
    }

    /// <summary>Writes <see cref="ToModel"/> to <paramref name="path"/> atomically, replacing any file there.</summary>
    public static void Export(OnnxGraphModule module, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        OnnxModelFile.Write(ToModel(module), path);
    }
}
