namespace Compression.Plugins.Pruning;

/// <summary>One prune-then-fine-tune round: the target it aimed at and test accuracy after pruning and after fine-tuning.</summary>
internal sealed record RoundOutcome(int Round, string Target, long Flops, long Parameters, double AccuracyPruned, double AccuracyTuned);
