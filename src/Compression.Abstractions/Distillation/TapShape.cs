namespace Compression.Abstractions.Distillation;

/// <summary>The shapes of one tap's features, per sample (without the batch dimension).</summary>
/// <param name="Index">Position of the tap in the stage's <c>taps</c> list.</param>
/// <param name="Tap">The layer names.</param>
/// <param name="Student">Shape of the student's feature for one sample, e.g. [16, 14, 14].</param>
/// <param name="Teacher">Shape of the teacher's feature for one sample, e.g. [64, 14, 14].</param>
public sealed record TapShape(int Index, FeatureTap Tap, IReadOnlyList<int> Student, IReadOnlyList<int> Teacher);
