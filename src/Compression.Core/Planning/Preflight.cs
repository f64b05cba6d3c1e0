using System.Text.Json;
using Compression.Abstractions.Stages;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Running;
using Compression.Core.Teacher;

namespace Compression.Core.Planning;

/// <summary>
/// What a run would reject before training, checked from the config and the plan alone, so that
/// <c>compress validate</c> catches it and a run fails in seconds, not after the teacher trained:
/// data files that do not exist, teachers that are missing, malformed or too large for memory,
/// budgets that no planned stage can measure, and licences the policy refuses (or that do not parse).
/// </summary>
internal static class Preflight
{
    public static void Check(LoadedConfig loaded, IReadOnlyList<PlannedStage> planned, IMemoryBudget budget, List<Finding> findings, IServiceProvider? services = null)
    {
        if (loaded.Config.Data is not null)
        {
            Collect(() => DataSetFactory.ResolveFiles(loaded, DataFormats.From(services)), findings);
        }
        findings.AddRange(TeacherPreflight.Check(loaded, budget));
        CheckBudgets(loaded, planned, findings);
        // Licence errors stop the run before anything trains; its warnings are reported by the run.
        findings.AddRange(Provenance.Licensing.LicenseReview.Review(loaded).Findings.Where(f => f.Severity == Severity.Error));
    }

    private static void CheckBudgets(LoadedConfig loaded, IReadOnlyList<PlannedStage> planned, List<Finding> findings)
    {
        BudgetsConfig budgets = loaded.Config.Budgets;
        bool benchmarked = planned.Any(p => p.Stage.Name == "benchmark");
        void Need(double? budget, string field, bool measured, string how)
        {
            if (budget is not null && !measured)
            {
                findings.Add(new Finding(Severity.Error, ErrorCodes.BudgetNeedsMetric,
                    $"budget '{field}' cannot be judged: {how}", loaded.Locations.Locate($"budgets.{field}")));
            }
        }
        Need(budgets.MaxP95LatencyMs, "maxP95LatencyMs", benchmarked, "add a 'benchmark' stage, which measures latency");
        Need(budgets.MinSpeedup, "minSpeedup", benchmarked, "add a 'benchmark' stage, which measures the speedup over the teacher");
        Need(budgets.MinDistillationGainPoints, "minDistillationGainPoints", planned.Any(ComparesWithScratch),
            "add a 'distill' stage with \"compareWithScratch\": true or \"repeats\" of 2 or more, which measures the gain over scratch");
    }

    /// <summary>True for a distill stage whose settings train the scratch baseline too.</summary>
    private static bool ComparesWithScratch(PlannedStage stage)
    {
        if (stage.Stage.Name != "distill")
        {
            return false;
        }
        using JsonDocument settings = JsonDocument.Parse(stage.SettingsJson);
        JsonElement root = settings.RootElement;
        return (root.TryGetProperty("compareWithScratch", out JsonElement compare) && compare.ValueKind == JsonValueKind.True)
            || (root.TryGetProperty("repeats", out JsonElement repeats) && repeats.TryGetInt32(out int n) && n > 1)
            || (root.TryGetProperty("method", out JsonElement method) && string.Equals(method.GetString(), "auto", StringComparison.OrdinalIgnoreCase));
    }

    private static void Collect(Action check, List<Finding> findings)
    {
        try
        {
            check();
        }
        catch (CompressionException ex)
        {
            findings.AddRange(ex.Findings);
        }
    }
}
