namespace Compression.Abstractions.Distillation;

/// <summary>
/// Where a feature-based method reads intermediate features: a layer of the student and a layer (or, for
/// an ONNX teacher, a tensor of the graph) of the teacher, as written in the distill stage's <c>taps</c>.
/// </summary>
/// <param name="Student">Name of a student layer (its <c>name</c> in the spec).</param>
/// <param name="Teacher">For a teacher given as a spec, a layer name; for an ONNX teacher, a tensor name in its graph.</param>
public sealed record FeatureTap(string Student, string Teacher);
