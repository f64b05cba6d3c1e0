namespace Compression.Plugins.Pruning;

/// <summary>
/// One prune-then-fine-tune round: the target it aimed at and validation accuracy after pruning and
/// after fine-tuning. Rounds are judged on validation only; the test split is used once, on the shipped model.
/// </summary>
internal sealed record RoundOutcome(int Round, string Target, long Flops, long Parameters, double ValidationPruned, double ValidationTuned);
