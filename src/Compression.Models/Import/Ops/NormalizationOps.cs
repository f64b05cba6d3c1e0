using Compression.Abstractions.Distillation;
using Compression.Onnx.Proto;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Compression.Models.Import.Ops;

/// <summary>
/// BatchNormalization with its running statistics (inference form) whether or not the module is
/// training: scale and bias are trainable, mean and variance are constants that fine-tuning does not
/// update (frozen statistics, the safe choice for small fine-tuning batches). LayerNormalization
/// over the axes from <c>axis</c> on, with its optional Mean and InvStdDev outputs.
/// </summary>
internal static class NormalizationOps
{
    public static IEnumerable<OnnxOperator> Operators() =>
    [
        new("BatchNormalization", BatchNormalization, 1, 2) { Validate = ValidateBatchNormalization },
        new("LayerNormalization", LayerNormalization, 1, 2),
    ];

    private static void ValidateBatchNormalization(NodeProto node, long opset)
    {
        if (node.Attribute.Any(a => a.Name == "training_mode" && a.I != 0) || node.Output.Skip(1).Any(o => o.Length > 0))
        {
            throw new UnsupportedOnnxOperatorException(node.OpType, node.Name, "training mode (batch statistics and the running mean/variance outputs)");
        }
        if (node.Attribute.Any(a => a.Name == "spatial" && a.I == 0))
        {
            throw new UnsupportedOnnxOperatorException(node.OpType, node.Name, "spatial=0 (statistics per position)");
        }
    }

    private static Tensor?[] BatchNormalization(OnnxNodeContext context)
    {
        Tensor x = context.Input(0);
        double epsilon = context.Float("epsilon", 1e-5f);
        return [batch_norm(x, context.Input(3), context.Input(4), context.Input(1), context.Input(2), training: false, eps: epsilon)];
    }

    private static Tensor?[] LayerNormalization(OnnxNodeContext context)
    {
        Tensor x = context.Input(0);
        long axis = context.Axis(context.Int("axis", -1), x.ndim);
        double epsilon = context.Float("epsilon", 1e-5f);
        long[] dims = [.. Enumerable.Range((int)axis, (int)(x.ndim - axis)).Select(i => (long)i)];
        Tensor mean = x.mean(dims, keepdim: true);
        Tensor centred = x - mean;
        Tensor inverseStd = (centred * centred).mean(dims, keepdim: true).Plus(epsilon).rsqrt();
        Tensor y = centred * inverseStd * context.Input(1);
        if (context.OptionalInput(2) is { } bias)
        {
            y = y.Plus(bias);
        }
        return [y, context.WantsOutput(1) ? mean : null, context.WantsOutput(2) ? inverseStd : null];
    }
}
