namespace Compression.Abstractions.Stages;

/// <summary>What one pass of a teacher over a batch gives.</summary>
/// <param name="Logits">Row-major [count, classes].</param>
/// <param name="Features">The requested intermediate tensors, in request order, each row-major [count, ...shape].</param>
public sealed record TeacherOutputs(float[] Logits, IReadOnlyList<float[]> Features);
