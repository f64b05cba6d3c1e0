using Compression.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Models;

/// <summary>
/// Writes a <see cref="SequentialModel"/> as an ONNX file (opset 17) with eval-mode semantics:
/// input "input" [batch, ...spec.Input], output "logits". Dropout is the identity at inference and
/// is left out; BatchNorm uses its running statistics. Each layer kind maps to one ONNX node, so a
/// parity test per kind proves the whole exporter.
/// </summary>
public static class OnnxExporter
{
    public const string InputName = "input";
    public const string OutputName = "logits";

    public static void Export(SequentialModel model, string path)
    {
        ModelSpec spec = model.Spec;
        var builder = new OnnxGraphBuilder("student");
        builder.AddInput(InputName, [null, .. spec.Input.Select(d => (long?)d)]);
        string current = InputName;
        Compression.Onnx.Proto.NodeProto? last = null;
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            LayerSpec layer = spec.Layers[i];
            var module = model.Layers[i];
            string output = builder.UniqueName($"layer{i}_{layer.Kind.ToString().ToLowerInvariant()}");
            Compression.Onnx.Proto.NodeProto? node = layer.Kind switch
            {
                LayerKind.Linear => Linear(builder, (Linear)module, current, output, i),
                LayerKind.Conv2d => Conv(builder, (Conv2d)module, layer, current, output, i),
                LayerKind.BatchNorm => BatchNorm(builder, module, current, output, i),
                LayerKind.Relu => builder.AddNode("Relu", [current], [output]),
                LayerKind.MaxPool2d => builder.AddNode("MaxPool", [current], [output]).Ints("kernel_shape", layer.Kernel, layer.Kernel).Ints("strides", layer.Stride, layer.Stride),
                LayerKind.AvgPool2d => builder.AddNode("AveragePool", [current], [output]).Ints("kernel_shape", layer.Kernel, layer.Kernel).Ints("strides", layer.Stride, layer.Stride),
                LayerKind.GlobalAvgPool => builder.AddNode("GlobalAveragePool", [current], [output]),
                LayerKind.Flatten => builder.AddNode("Flatten", [current], [output]).Int("axis", 1),
                _ => null, // Dropout: identity at inference.
            };
            if (node is not null)
            {
                current = output;
                last = node;
            }
        }
        if (last is null)
        {
            builder.AddNode("Identity", [current], [OutputName]);
        }
        else
        {
            last.Output[0] = OutputName;
        }
        builder.AddOutput(OutputName, [null, .. spec.OutputShape().Select(d => (long?)d)]);
        OnnxModelFile.Write(builder.Build("compression"), path);
    }

    private static Compression.Onnx.Proto.NodeProto Linear(OnnxGraphBuilder builder, Linear linear, string input, string output, int index)
    {
        string weight = builder.AddInitializer($"layer{index}.weight", Dims(linear.weight!), Values(linear.weight!));
        var inputs = new List<string> { input, weight };
        if (linear.bias is not null)
        {
            inputs.Add(builder.AddInitializer($"layer{index}.bias", Dims(linear.bias), Values(linear.bias)));
        }
        return builder.AddNode("Gemm", inputs, [output]).Int("transB", 1);
    }

    private static Compression.Onnx.Proto.NodeProto Conv(OnnxGraphBuilder builder, Conv2d conv, LayerSpec layer, string input, string output, int index)
    {
        string weight = builder.AddInitializer($"layer{index}.weight", Dims(conv.weight!), Values(conv.weight!));
        var inputs = new List<string> { input, weight };
        if (conv.bias is not null)
        {
            inputs.Add(builder.AddInitializer($"layer{index}.bias", Dims(conv.bias), Values(conv.bias)));
        }
        return builder.AddNode("Conv", inputs, [output])
            .Ints("kernel_shape", layer.Kernel, layer.Kernel)
            .Ints("strides", layer.Stride, layer.Stride)
            .Ints("pads", layer.Padding, layer.Padding, layer.Padding, layer.Padding);
    }

    private static Compression.Onnx.Proto.NodeProto BatchNorm(OnnxGraphBuilder builder, nn.Module<Tensor, Tensor> module, string input, string output, int index)
    {
        var (weight, bias, mean, variance, eps) = module switch
        {
            BatchNorm2d b => (b.weight!, b.bias!, b.running_mean!, b.running_var!, b.eps),
            BatchNorm1d b => (b.weight!, b.bias!, b.running_mean!, b.running_var!, b.eps),
            _ => throw new InvalidOperationException($"layer {index} is not a batch norm"),
        };
        string[] inputs =
        [
            input,
            builder.AddInitializer($"layer{index}.scale", Dims(weight), Values(weight)),
            builder.AddInitializer($"layer{index}.bias", Dims(bias), Values(bias)),
            builder.AddInitializer($"layer{index}.mean", Dims(mean), Values(mean)),
            builder.AddInitializer($"layer{index}.var", Dims(variance), Values(variance)),
        ];
        return builder.AddNode("BatchNormalization", inputs, [output]).Float("epsilon", (float)eps);
    }

    private static long[] Dims(Tensor tensor) => tensor.shape;

    private static float[] Values(Tensor tensor)
    {
        using var cpu = tensor.detach().cpu().contiguous();
        return cpu.data<float>().ToArray();
    }
}
