using Compression.Core.Config;

namespace Compression.Core.Gate;

/// <summary>
/// A budget with a field of its own under <c>budgets</c> (<c>maxP95LatencyMs</c>, ...): an alias of a
/// budget on one metric that keeps its own error code and message.
/// </summary>
/// <param name="Field">The field under <c>budgets</c>.</param>
/// <param name="Limit">The configured limit, or null when the budget is left out.</param>
/// <param name="Metric">The metric it judges (some depend on a batch size in the budgets).</param>
/// <param name="AtLeast">True for a minimum, false for a maximum.</param>
/// <param name="Code">The code of a miss.</param>
/// <param name="Describe">The message of a miss, from the run's metrics, the actual value and the limit.</param>
/// <param name="NotReported">Why the metric may be missing after a run, and what to do.</param>
/// <param name="NotPlanned">What to add when no planned stage reports the metric (checked before the run); null when the task's evaluation or the model files give it.</param>
internal sealed record NamedBudget(
    string Field,
    Func<BudgetsConfig, double?> Limit,
    Func<BudgetsConfig, string> Metric,
    bool AtLeast,
    string Code,
    Func<MetricSet, BudgetsConfig, double, double, string> Describe,
    string NotReported,
    string? NotPlanned = null);
