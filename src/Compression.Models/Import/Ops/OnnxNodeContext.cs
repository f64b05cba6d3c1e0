using System.Text;
using Compression.Onnx.Proto;
using static TorchSharp.torch;
using AttributeType = Compression.Onnx.Proto.AttributeProto.Types.AttributeType;

namespace Compression.Models.Import.Ops;

/// <summary>
/// What a kernel sees of one node while the graph runs: its input tensors (null where an optional
/// input is left out), its attributes with the spec's defaults, the graph's opset, and whether the
/// module is training.
/// </summary>
internal sealed class OnnxNodeContext(NodeProto node, IReadOnlyList<Tensor?> inputs, long opset, bool training)
{
    public NodeProto Node { get; } = node;

    public long Opset { get; } = opset;

    public bool Training { get; } = training;

    public int InputCount => inputs.Count;

    /// <summary>Outputs the graph uses (a trailing optional output may be left out or named "").</summary>
    public int OutputCount => Node.Output.Count;

    public bool WantsOutput(int index) => index < Node.Output.Count && Node.Output[index].Length > 0;

    public Tensor Input(int index) =>
        OptionalInput(index) ?? throw new OnnxImportException($"node '{Node.Name}' ({Node.OpType}) needs input {index}, which is missing");

    public Tensor? OptionalInput(int index) => index < inputs.Count ? inputs[index] : null;

    public long Int(string name, long fallback) => Find(name, AttributeType.Int)?.I ?? fallback;

    public float Float(string name, float fallback) => Find(name, AttributeType.Float)?.F ?? fallback;

    public string String(string name, string fallback) =>
        Find(name, AttributeType.String) is { } attribute ? Encoding.UTF8.GetString(attribute.S.Span) : fallback;

    public long[]? Ints(string name) => Find(name, AttributeType.Ints) is { } attribute ? [.. attribute.Ints] : null;

    public float[]? Floats(string name) => Find(name, AttributeType.Floats) is { } attribute ? [.. attribute.Floats] : null;

    public TensorProto? TensorAttribute(string name) => Find(name, AttributeType.Tensor)?.T;

    public bool Has(string name) => Node.Attribute.Any(a => a.Name == name);

    /// <summary>A non-negative axis for a tensor of rank <paramref name="rank"/> (ONNX allows -rank..rank-1).</summary>
    public long Axis(long axis, long rank)
    {
        long normalised = axis < 0 ? axis + rank : axis;
        if (normalised < 0 || normalised >= rank)
        {
            throw new OnnxImportException($"node '{Node.Name}' ({Node.OpType}): axis {axis} is out of range for a tensor of rank {rank}");
        }
        return normalised;
    }

    public UnsupportedOnnxOperatorException Unsupported(string detail) => new(Node.OpType, Node.Name, detail);

    private AttributeProto? Find(string name, AttributeType type)
    {
        AttributeProto? attribute = Node.Attribute.FirstOrDefault(a => a.Name == name);
        if (attribute is null)
        {
            return null;
        }
        if (attribute.RefAttrName.Length > 0)
        {
            throw Unsupported($"attribute '{name}' referring to a function attribute");
        }
        // Old exporters leave the type discriminator unset; trust the field then.
        if (attribute.Type != type && attribute.Type != AttributeType.Undefined)
        {
            throw new OnnxImportException($"node '{Node.Name}' ({Node.OpType}): attribute '{name}' is {attribute.Type}, expected {type}");
        }
        return attribute;
    }
}
