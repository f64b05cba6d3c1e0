using Compression.Abstractions.Metrics;

namespace Compression.Abstractions.Evaluation;

/// <summary>What an <see cref="IModelEvaluator"/> measured.</summary>
/// <param name="Metrics">The metrics, named as its descriptors say.</param>
/// <param name="StudentCorrect">Per test sample, whether the student got it right; the baseline gate compares these pairwise with the baseline's.</param>
public sealed record ModelEvaluation(IReadOnlyList<Metric> Metrics, IReadOnlyList<bool> StudentCorrect)
{
    /// <summary>Why the teacher counts as having learned nothing (the run is refused, CMP4004), or null.</summary>
    public string? TeacherFailure { get; init; }

    /// <summary>Why the student counts as having learned nothing (the run is refused, CMP4004), or null.</summary>
    public string? StudentFailure { get; init; }
}
