using Compression.Models.Layers;
using Compression.Models.Spec;
using Compression.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Models.Export;

/// <summary>
/// Writes a <see cref="SequentialModel"/> as an ONNX file (opset 17) with eval-mode semantics:
/// input "input" [batch, ...spec.Input], output "logits"; a token-sequence model's length is the
/// symbolic "sequence" (<see cref="SequenceDimension"/>). Dropout is the identity at inference and
/// is left out; BatchNorm uses its running statistics, folded into the convolution before it when
/// there is one. Each layer kind exports itself (<see cref="LayerType.Export"/>) as one ONNX node or a
/// fixed small pattern (SiLU, GELU), so a parity test per kind proves the whole exporter.
/// Initializers are named after the layer's name.
/// </summary>
public static class OnnxExporter
{
    public const string InputName = "input";
    public const string OutputName = "logits";

    /// <summary>The symbolic name of a token sequence's length in an exported model's input (and per-token outputs).</summary>
    public const string SequenceDimension = "sequence";

    /// <summary>
    /// The metadata key holding the sequence length the spec was built for (its input's), at which
    /// <see cref="OnnxFlops"/> counts a model whose input has the symbolic <see cref="SequenceDimension"/>.
    /// </summary>
    public const string SequenceLengthKey = OnnxShapes.DimensionKeyPrefix + SequenceDimension;

    public static void Export(SequentialModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ModelSpec spec = model.Spec;
        var builder = new OnnxGraphBuilder("student");
        // A model whose first layer reads token sequences takes any length: its input's sequence axis,
        // and a per-token output's first axis ([length, hidden + 1]), are the symbolic "sequence".
        int? sequenceAxis = spec.Layers[0].Type.SequenceAxis(spec.Layers[0].Settings, spec.Input);
        if (sequenceAxis is int axis)
        {
            builder.AddSymbolicInput(InputName, [null, .. spec.Input.Select((d, i) => i == axis ? null : (long?)d)], ["batch", SequenceDimension]);
        }
        else
        {
            builder.AddInput(InputName, [null, .. spec.Input.Select(d => (long?)d)]);
        }
        Compression.Onnx.Proto.NodeProto? last = null;
        string current = EmitLayers(builder, spec.Layers, model.Layers, spec.Input, InputName, "layer", ref last);
        if (last is null)
        {
            builder.AddNode("Identity", [current], [OutputName]);
        }
        else
        {
            last.Output[0] = OutputName;
        }
        int[] output = spec.OutputShape();
        if (sequenceAxis is not null && output.Length == 2)
        {
            builder.AddSymbolicOutput(OutputName, [null, null, output[1]], ["batch", SequenceDimension]);
        }
        else
        {
            builder.AddOutput(OutputName, [null, .. output.Select(d => (long?)d)]);
        }
        Compression.Onnx.Proto.ModelProto built = builder.Build("compression");
        if (sequenceAxis is int lengthAxis)
        {
            built.MetadataProps.Add(new Compression.Onnx.Proto.StringStringEntryProto
            {
                Key = SequenceLengthKey,
                Value = spec.Input[lengthAxis].ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        }
        OnnxModelFile.Write(built, path);
    }

    /// <summary>
    /// Emits <paramref name="layers"/> reading <paramref name="current"/>; returns the tensor they end in
    /// and leaves the last node added in <paramref name="last"/>. A residual block recurses into its body.
    /// </summary>
    internal static string EmitLayers(
        OnnxGraphBuilder builder, IReadOnlyList<LayerSpec> layers, IReadOnlyList<nn.Module<Tensor, Tensor>> modules, int[] firstInput,
        string current, string unnamedPrefix, ref Compression.Onnx.Proto.NodeProto? last)
    {
        IReadOnlyList<int[]> shapes = ModelSpec.ShapesOf(firstInput, layers);
        for (int i = 0; i < layers.Count; i++)
        {
            LayerSpec layer = layers[i];
            string prefix = layer.Name ?? $"{unnamedPrefix}{i}";
            // A batch norm right after a convolution is folded into it: one Conv, as at inference.
            BatchNorm2d? folded = layer.Type.FoldsBatchNorm && i + 1 < layers.Count && modules[i + 1] is BatchNorm2d next ? next : null;
            // A named layer's output tensor carries its name, so a feature tap on a spec teacher is a tensor
            // of its ONNX file; a folded pair's one output is named after the batch norm if it has a name.
            string? tensorName = (folded is not null ? layers[i + 1].Name : null) ?? layer.Name;
            string output = builder.UniqueName(tensorName ?? $"{prefix}_{layer.Type.Name}");
            var export = new LayerExport(builder, layer, modules[i], i == 0 ? firstInput : shapes[i - 1], shapes[i], current, output, prefix) { FoldedBatchNorm = folded };
            Compression.Onnx.Proto.NodeProto? node = layer.Type.Export(export);
            if (node is not null)
            {
                current = output;
                last = node;
            }
            if (folded is not null)
            {
                i++;
            }
        }
        return current;
    }
}
