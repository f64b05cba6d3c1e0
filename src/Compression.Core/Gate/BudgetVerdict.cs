using Compression.Core.Diagnostics;

namespace Compression.Core.Gate;

/// <summary>One configured budget and how the run fared against it (result.json, the GitHub summary).</summary>
/// <param name="Budget">The field under <c>budgets</c>, e.g. <c>minSpeedup</c>, or for an entry of <c>budgets.metrics</c> its metric's name.</param>
/// <param name="Metric">The metric it judges.</param>
/// <param name="Limit">The configured limit.</param>
/// <param name="Actual">The measured value; null when it was not measured or not finite.</param>
/// <param name="AtLeast">True for a minimum (higher is better), false for a maximum.</param>
/// <param name="Passed">Whether the budget held.</param>
/// <param name="Location">The budget's line in compression.json.</param>
public sealed record BudgetVerdict(string Budget, string Metric, double Limit, double? Actual, bool AtLeast, bool Passed, SourceLocation Location);
