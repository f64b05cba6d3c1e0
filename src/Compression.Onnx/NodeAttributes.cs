using System.Text;
using Compression.Onnx.Proto;
using Google.Protobuf;

namespace Compression.Onnx;

/// <summary>
/// Typed attributes added fluently to a node (<c>builder.AddNode(...).Ints("kernel_shape", 3, 3)</c>),
/// so an exporter never sets the <see cref="AttributeProto.Type"/> discriminator by hand and gets it wrong.
/// </summary>
public static class NodeAttributes
{
    /// <summary>Adds an INT attribute.</summary>
    public static NodeProto Int(this NodeProto node, string name, long value) =>
        Add(node, new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value });

    /// <summary>Adds an INTS attribute.</summary>
    public static NodeProto Ints(this NodeProto node, string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return Add(node, attribute);
    }

    /// <summary>Adds a FLOAT attribute.</summary>
    public static NodeProto Float(this NodeProto node, string name, float value) =>
        Add(node, new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value });

    /// <summary>Adds a FLOATS attribute.</summary>
    public static NodeProto Floats(this NodeProto node, string name, params float[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        attribute.Floats.AddRange(values);
        return Add(node, attribute);
    }

    /// <summary>Adds a STRING attribute (stored as UTF-8 bytes, as the spec requires).</summary>
    public static NodeProto String(this NodeProto node, string name, string value) =>
        Add(node, new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFrom(value, Encoding.UTF8) });

    private static NodeProto Add(NodeProto node, AttributeProto attribute)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentException.ThrowIfNullOrEmpty(attribute.Name, "name");
        if (node.Attribute.Any(a => a.Name == attribute.Name))
        {
            throw new ArgumentException($"node {node.Name} ({node.OpType}) already has an attribute '{attribute.Name}'", "name");
        }
        node.Attribute.Add(attribute);
        return node;
    }
}
