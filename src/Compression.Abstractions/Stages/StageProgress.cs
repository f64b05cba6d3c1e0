namespace Compression.Abstractions.Stages;

/// <summary>One progress report from a running stage.</summary>
/// <param name="Message">A short line a user reads, e.g. <c>epoch 3/10 loss 0.412 val acc 0.973</c>.</param>
/// <param name="Fraction">Fraction of the stage done, in [0, 1], when known.</param>
/// <param name="Remaining">Estimated time left, when known.</param>
public sealed record StageProgress(string Message, double? Fraction = null, TimeSpan? Remaining = null);
