using Compression.Abstractions.Distillation;
using Compression.Onnx.Proto;
using static TorchSharp.torch;

namespace Compression.Models.Import.Ops;

/// <summary>
/// Constant (value, value_float(s), value_int(s)), Cast (to the types <see cref="OnnxTensors"/>
/// handles), Identity, and Dropout: the identity (mask all true) unless the module is training, when
/// it drops with its ratio (attribute before opset 12, input from it) like the network it came from.
/// </summary>
internal static class ValueOps
{
    private static readonly string[] s_constantForms = ["value", "value_float", "value_floats", "value_int", "value_ints"];

    public static IEnumerable<OnnxOperator> Operators() =>
    [
        new("Constant", Constant) { Validate = ValidateConstant },
        new("Cast", c => [c.Input(0).to(OnnxTensors.ScalarTypeOf(c.Int("to", 0), $"node '{c.Node.Name}' (Cast)"))]),
        new("Identity", c => [c.Input(0).alias()]),
        new("Dropout", Dropout),
    ];

    private static void ValidateConstant(NodeProto node, long opset)
    {
        if (node.Attribute.Count != 1 || !s_constantForms.Contains(node.Attribute[0].Name))
        {
            throw new UnsupportedOnnxOperatorException(node.OpType, node.Name,
                $"attributes [{string.Join(", ", node.Attribute.Select(a => a.Name))}] (expected one of {string.Join(", ", s_constantForms)})");
        }
    }

    private static Tensor?[] Constant(OnnxNodeContext context)
    {
        if (context.TensorAttribute("value") is { } value)
        {
            return [OnnxTensors.ToTensor(value)];
        }
        if (context.Has("value_float"))
        {
            return [tensor(context.Float("value_float", 0))];
        }
        if (context.Floats("value_floats") is { } floats)
        {
            return [tensor(floats)];
        }
        if (context.Has("value_int"))
        {
            return [tensor(context.Int("value_int", 0))];
        }
        return [tensor(context.Ints("value_ints") ?? [], ScalarType.Int64)];
    }

    private static Tensor?[] Dropout(OnnxNodeContext context)
    {
        Tensor x = context.Input(0);
        double ratio = context.Opset < 12
            ? context.Float("ratio", 0.5f)
            : context.OptionalInput(1) is { } r ? r.to(ScalarType.Float64).item<double>() : 0.5;
        ScalarType maskType = context.Opset < 10 ? x.dtype : ScalarType.Bool;
        if (!context.Training || ratio == 0)
        {
            return [x.alias(), context.WantsOutput(1) ? ones_like(x, maskType) : null];
        }
        Tensor keep = bernoulli(HeldScalars.FullLike(x, 1 - ratio));
        return [(x * keep).DividedBy(1 - ratio), context.WantsOutput(1) ? keep.to(maskType) : null];
    }
}
