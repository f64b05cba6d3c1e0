using Compression.Models.Training;

namespace Compression.Plugins.Distillation;

/// <summary>One trained student as the report shows it: what it was, how training went, how it scored.</summary>
/// <param name="Label">e.g. "kd (seed 42)" or "scratch (seed 43)".</param>
/// <param name="Summary">The trainer's summary.</param>
/// <param name="TestAccuracy">Top-1 accuracy on the test split.</param>
/// <param name="TestCorrect">Per test sample: whether the student's top-1 class is the label.</param>
/// <param name="TeacherShare">Share of training time the teacher took (online), or null.</param>
internal sealed record RunOutcome(string Label, TrainingSummary Summary, double TestAccuracy, bool[] TestCorrect, double? TeacherShare = null);
