using Compression.Core.Evaluation;

namespace Compression.Core.Gate;

/// <summary>
/// What the baseline's per-sample record measures, named for messages. The record is one hit or miss per
/// test sample either way (McNemar pairs them the same way), but for the embedding task a sample is a
/// query and a hit is its own document ranked first, so the share of hits is recall@1, not accuracy.
/// </summary>
public static class BaselineMeasure
{
    public const string Accuracy = "accuracy";

    public const string RecallAt1 = "recall@1";

    /// <summary>The measure for the config's <c>task</c>.</summary>
    public static string For(string task) =>
        string.Equals(task, EmbeddingEvaluator.TaskName, StringComparison.OrdinalIgnoreCase) ? RecallAt1 : Accuracy;
}
