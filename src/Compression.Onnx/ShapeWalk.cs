namespace Compression.Onnx;

/// <summary>What <see cref="OnnxShapes"/> found: shapes by tensor, multiply-adds of the understood nodes, and whether every node was understood.</summary>
internal sealed record ShapeWalk(Dictionary<string, long[]> Shapes, long MultiplyAdds, bool Complete);
