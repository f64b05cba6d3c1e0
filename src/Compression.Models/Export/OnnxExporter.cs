using Compression.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Models;

/// <summary>
/// Writes a <see cref="SequentialModel"/> as an ONNX file (opset 17) with eval-mode semantics:
/// input "input" [batch, ...spec.Input], output "logits". Dropout is the identity at inference and
/// is left out; BatchNorm uses its running statistics, folded into the convolution before it when
/// there is one. Each layer kind maps to one ONNX node or a fixed small pattern (SiLU, GELU), so a
/// parity test per kind proves the whole exporter. Initializers are named after the layer's name.
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
        builder.AddOutput(OutputName, [null, .. spec.OutputShape().Select(d => (long?)d)]);
        OnnxModelFile.Write(builder.Build("compression"), path);
    }

    /// <summary>
    /// Emits <paramref name="layers"/> reading <paramref name="current"/>; returns the tensor they end in
    /// and leaves the last node added in <paramref name="last"/>. A residual block recurses into its body.
    /// </summary>
    private static string EmitLayers(
        OnnxGraphBuilder builder, IReadOnlyList<LayerSpec> layers, IReadOnlyList<nn.Module<Tensor, Tensor>> modules, int[] firstInput,
        string current, string unnamedPrefix, ref Compression.Onnx.Proto.NodeProto? last)
    {
        IReadOnlyList<int[]> shapes = ModelSpec.ShapesOf(firstInput, layers);
        for (int i = 0; i < layers.Count; i++)
        {
            LayerSpec layer = layers[i];
            var module = modules[i];
            string prefix = layer.Name ?? $"{unnamedPrefix}{i}";
            // A batch norm right after a convolution is folded into it: one Conv, as at inference.
            BatchNorm2d? folded = layer.Kind == LayerKind.Conv2d && i + 1 < layers.Count && modules[i + 1] is BatchNorm2d next ? next : null;
            // A named layer's output tensor carries its name, so a feature tap on a spec teacher is a tensor
            // of its ONNX file; a folded pair's one output is named after the batch norm if it has a name.
            string? tensorName = (folded is not null ? layers[i + 1].Name : null) ?? layer.Name;
            string output = builder.UniqueName(tensorName ?? $"{prefix}_{layer.Kind.ToString().ToLowerInvariant()}");
            Compression.Onnx.Proto.NodeProto? node = layer.Kind switch
            {
                LayerKind.Linear => Linear(builder, (Linear)module, current, output, prefix),
                LayerKind.Conv2d => Conv(builder, (Conv2d)module, folded, layer, current, output, prefix),
                LayerKind.BatchNorm => BatchNorm(builder, module, current, output, prefix),
                LayerKind.Relu => builder.AddNode("Relu", [current], [output]),
                LayerKind.Relu6 => builder.AddNode("Clip", [current, Scalar(builder, prefix, "min", 0f), Scalar(builder, prefix, "max", 6f)], [output]),
                LayerKind.HardSwish => builder.AddNode("HardSwish", [current], [output]),
                LayerKind.Silu => Silu(builder, current, output, prefix),
                LayerKind.Gelu => Gelu(builder, current, output, prefix),
                LayerKind.MaxPool2d => builder.AddNode("MaxPool", [current], [output]).Ints("kernel_shape", layer.Kernel, layer.Kernel).Ints("strides", layer.Stride, layer.Stride),
                LayerKind.AvgPool2d => builder.AddNode("AveragePool", [current], [output]).Ints("kernel_shape", layer.Kernel, layer.Kernel).Ints("strides", layer.Stride, layer.Stride),
                LayerKind.GlobalAvgPool => builder.AddNode("GlobalAveragePool", [current], [output]),
                LayerKind.Flatten => builder.AddNode("Flatten", [current], [output]).Int("axis", 1),
                LayerKind.Residual => Residual(builder, (ResidualBlock)module, layer, i == 0 ? firstInput : shapes[i - 1], current, output, prefix),
                _ => null, // Dropout: identity at inference.
            };
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

    /// <summary>The body's nodes, the shortcut (a bias-free Gemm or 1x1 Conv when shapes differ) and an Add.</summary>
    private static Compression.Onnx.Proto.NodeProto Residual(OnnxGraphBuilder builder, ResidualBlock block, LayerSpec layer, int[] input, string current, string output, string prefix)
    {
        Compression.Onnx.Proto.NodeProto? bodyLast = null;
        string body = EmitLayers(builder, layer.Body, block.Body, input, current, $"{prefix}_", ref bodyLast);
        string shortcut = current;
        switch (block.Projection)
        {
            case Linear linear:
                shortcut = builder.UniqueName($"{prefix}_projection");
                Linear(builder, linear, current, shortcut, $"{prefix}.projection");
                break;
            case Conv2d conv:
                shortcut = builder.UniqueName($"{prefix}_projection");
                int stride = (int)conv.stride[0];
                builder.AddNode("Conv", [current, builder.AddInitializer($"{prefix}.projection.weight", Dims(conv.weight!), Values(conv.weight!))], [shortcut])
                    .Ints("kernel_shape", 1, 1).Ints("strides", stride, stride);
                break;
        }
        return builder.AddNode("Add", [body, shortcut], [output]);
    }

    /// <summary>SiLU(x) = x * sigmoid(x): opset 17 has no SiLU operator.</summary>
    private static Compression.Onnx.Proto.NodeProto Silu(OnnxGraphBuilder builder, string input, string output, string prefix)
    {
        string sigmoid = builder.UniqueName($"{prefix}_sigmoid");
        builder.AddNode("Sigmoid", [input], [sigmoid]);
        return builder.AddNode("Mul", [input, sigmoid], [output]);
    }

    /// <summary>GELU(x) = 0.5 x (1 + erf(x / sqrt 2)), the exact form TorchSharp's GELU computes; opset 17 has no Gelu operator.</summary>
    private static Compression.Onnx.Proto.NodeProto Gelu(OnnxGraphBuilder builder, string input, string output, string prefix)
    {
        string scaled = builder.UniqueName($"{prefix}_scaled");
        string erf = builder.UniqueName($"{prefix}_erf");
        string shifted = builder.UniqueName($"{prefix}_shifted");
        string product = builder.UniqueName($"{prefix}_product");
        builder.AddNode("Div", [input, Scalar(builder, prefix, "sqrt2", MathF.Sqrt(2))], [scaled]);
        builder.AddNode("Erf", [scaled], [erf]);
        builder.AddNode("Add", [erf, Scalar(builder, prefix, "one", 1f)], [shifted]);
        builder.AddNode("Mul", [input, shifted], [product]);
        return builder.AddNode("Mul", [product, Scalar(builder, prefix, "half", 0.5f)], [output]);
    }

    private static string Scalar(OnnxGraphBuilder builder, string prefix, string name, float value) =>
        builder.AddInitializer($"{prefix}.{name}", [], [value]);

    private static Compression.Onnx.Proto.NodeProto Linear(OnnxGraphBuilder builder, Linear linear, string input, string output, string prefix)
    {
        string weight = builder.AddInitializer($"{prefix}.weight", Dims(linear.weight!), Values(linear.weight!));
        var inputs = new List<string> { input, weight };
        if (linear.bias is not null)
        {
            inputs.Add(builder.AddInitializer($"{prefix}.bias", Dims(linear.bias), Values(linear.bias)));
        }
        return builder.AddNode("Gemm", inputs, [output]).Int("transB", 1);
    }

    /// <summary>
    /// A Conv node; with <paramref name="folded"/>, the batch norm after it is folded in (per output
    /// channel c, with s = gamma / sqrt(var + eps): w' = w * s, b' = (b - mean) * s + beta).
    /// </summary>
    private static Compression.Onnx.Proto.NodeProto Conv(OnnxGraphBuilder builder, Conv2d conv, BatchNorm2d? folded, LayerSpec layer, string input, string output, string prefix)
    {
        long[] dims = Dims(conv.weight!);
        float[] weight = Values(conv.weight!);
        float[]? bias = conv.bias is null ? null : Values(conv.bias);
        if (folded is not null)
        {
            (weight, bias) = Fold(weight, bias, dims[0], Values(folded.weight!), Values(folded.bias!), Values(folded.running_mean!), Values(folded.running_var!), folded.eps);
        }
        var inputs = new List<string> { input, builder.AddInitializer($"{prefix}.weight", dims, weight) };
        if (bias is not null)
        {
            inputs.Add(builder.AddInitializer($"{prefix}.bias", [dims[0]], bias));
        }
        return builder.AddNode("Conv", inputs, [output])
            .Ints("kernel_shape", layer.Kernel, layer.Kernel)
            .Ints("strides", layer.Stride, layer.Stride)
            .Ints("pads", layer.Padding, layer.Padding, layer.Padding, layer.Padding)
            .Int("group", layer.Groups);
    }

    private static (float[] Weight, float[] Bias) Fold(float[] weight, float[]? bias, long channels, float[] gamma, float[] beta, float[] mean, float[] variance, double eps)
    {
        var folded = new float[weight.Length];
        var foldedBias = new float[channels];
        int perChannel = (int)(weight.Length / channels);
        for (int c = 0; c < channels; c++)
        {
            double scale = gamma[c] / Math.Sqrt(variance[c] + eps);
            for (int k = 0; k < perChannel; k++)
            {
                folded[(c * perChannel) + k] = (float)(weight[(c * perChannel) + k] * scale);
            }
            foldedBias[c] = (float)((((bias?[c]) ?? 0) - mean[c]) * scale + beta[c]);
        }
        return (folded, foldedBias);
    }

    private static Compression.Onnx.Proto.NodeProto BatchNorm(OnnxGraphBuilder builder, nn.Module<Tensor, Tensor> module, string input, string output, string prefix)
    {
        var (weight, bias, mean, variance, eps) = module switch
        {
            BatchNorm2d b => (b.weight!, b.bias!, b.running_mean!, b.running_var!, b.eps),
            BatchNorm1d b => (b.weight!, b.bias!, b.running_mean!, b.running_var!, b.eps),
            _ => throw new InvalidOperationException($"layer {prefix} is not a batch norm"),
        };
        string[] inputs =
        [
            input,
            builder.AddInitializer($"{prefix}.scale", Dims(weight), Values(weight)),
            builder.AddInitializer($"{prefix}.bias", Dims(bias), Values(bias)),
            builder.AddInitializer($"{prefix}.mean", Dims(mean), Values(mean)),
            builder.AddInitializer($"{prefix}.var", Dims(variance), Values(variance)),
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
