using Compression.Abstractions.Evaluation;
using Compression.Abstractions.Stages;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Evaluation;
using Compression.Core.Gate;
using Compression.Core.Running;
using Compression.Core.Teacher;

namespace Compression.Core.Planning;

/// <summary>
/// What a run would reject before training, checked from the config and the plan alone, so that
/// <c>compress validate</c> catches it and a run fails in seconds, not after the teacher trained:
/// data files that do not exist, an app model whose declared input does not fit it, teachers that are missing, malformed or too large for memory,
/// budgets that no planned stage can measure, and licences the policy refuses (or that do not parse).
/// </summary>
internal static class Preflight
{
    /// <param name="loaded">The config.</param>
    /// <param name="planned">The planned stages.</param>
    /// <param name="registered">Every registered stage, to say which one would report a metric the plan lacks.</param>
    /// <param name="services">The host's services (plugins' metric descriptors), or null.</param>
    /// <param name="budget">The memory a model may take.</param>
    /// <param name="findings">Receives the problems.</param>
    public static void Check(LoadedConfig loaded, IReadOnlyList<PlannedStage> planned, IEnumerable<IStage> registered, IServiceProvider? services, IMemoryBudget budget, List<Finding> findings)
    {
        if (loaded.Config.Data is not null)
        {
            Collect(() => DataSetFactory.ResolveFiles(loaded, DataFormats.From(services)), findings);
        }
        findings.AddRange(AppModel.AppModelPreflight.Check(loaded));
        findings.AddRange(TeacherPreflight.Check(loaded, budget));
        CheckBudgets(loaded, planned, registered, services, findings);
        // Licence errors stop the run before anything trains; its warnings are reported by the run.
        findings.AddRange(Provenance.Licensing.LicenseReview.Review(loaded).Findings.Where(f => f.Severity == Severity.Error));
    }

    /// <summary>
    /// Every budget's metric must be one the plan will report (as the stages and the evaluation describe
    /// it); a named budget says what to add, a generic one lists the metrics there are.
    /// </summary>
    private static void CheckBudgets(LoadedConfig loaded, IReadOnlyList<PlannedStage> planned, IEnumerable<IStage> registered, IServiceProvider? services, List<Finding> findings)
    {
        BudgetsConfig budgets = loaded.Config.Budgets;
        if (TaskEvaluator(loaded, services, findings) is not IModelEvaluator evaluator)
        {
            return;
        }
        MetricCatalog catalog = MetricCatalog.For(planned, services, evaluator, loaded.Config.Targets);
        TargetsPreflight.Check(loaded, MetricCatalog.For(planned, services, evaluator, []), findings);
        foreach (NamedBudget named in NamedBudgets.All)
        {
            string metric = named.Metric(budgets);
            if (named.Limit(budgets) is not null && catalog.Find(metric) is null)
            {
                // A metric the pipeline evaluates itself is missing only when the task's evaluator has no such measure.
                string how = named.NotPlanned ?? $"the task '{loaded.Config.Task}' does not measure it";
                findings.Add(new Finding(Severity.Error, ErrorCodes.BudgetNeedsMetric,
                    $"budget '{named.Field}' cannot be judged: {how} (it needs the metric '{metric}', which no planned stage reports)",
                    loaded.Locations.Locate($"budgets.{named.Field}")));
            }
        }
        var entries = budgets.Metrics ?? [];
        for (int i = 0; i < entries.Count; i++)
        {
            MetricBudgetPreflight.Check(entries[i], $"budgets.metrics[{i}]", catalog, registered, loaded.Locations, findings);
        }
    }

    /// <summary>The evaluator of the config's task; an unknown task is CMP1031 at its value, listing the known ones.</summary>
    private static IModelEvaluator? TaskEvaluator(LoadedConfig loaded, IServiceProvider? services, List<Finding> findings)
    {
        EvaluatorRegistry evaluators = EvaluatorRegistry.From(services);
        if (evaluators.Find(loaded.Config.Task) is IModelEvaluator evaluator)
        {
            return evaluator;
        }
        string? suggestion = SettingsBinder.Suggest(loaded.Config.Task, evaluators.Tasks);
        findings.Add(new Finding(Severity.Error, ErrorCodes.UnknownTask,
            $"unknown task '{loaded.Config.Task}'{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")} Known tasks: {string.Join(", ", evaluators.Tasks)} (a plugin adds one by registering an IModelEvaluator)",
            loaded.Locations.LocateValue("task")));
        return null;
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
