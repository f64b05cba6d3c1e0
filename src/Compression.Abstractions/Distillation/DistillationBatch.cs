using static TorchSharp.torch;

namespace Compression.Abstractions.Distillation;

/// <summary>One training batch as a distillation loss sees it.</summary>
/// <param name="StudentLogits">Student outputs before softmax, [batch, classes], with gradients.</param>
/// <param name="TeacherLogits">Teacher outputs before softmax, [batch, classes], no gradients.</param>
/// <param name="Labels">Hard labels, [batch], int64.</param>
public sealed record DistillationBatch(Tensor StudentLogits, Tensor TeacherLogits, Tensor Labels);
