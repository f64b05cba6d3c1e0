using Compression.Abstractions.Metrics;

namespace Compression.Plugins.Distillation;

/// <summary>The metrics the distill stage reports, described before it runs (the gain only when it trains a scratch baseline).</summary>
internal static class DistillMetrics
{
    public static IEnumerable<MetricDescriptor> For(DistillSettings settings)
    {
        if (EmbeddingDistillation.Applies(settings))
        {
            yield return new(EmbeddingDistillation.ValidationCosine, "", MetricDirection.HigherIsBetter, "mean cosine of student to teacher embeddings, validation split") { Format = "0.####" };
            yield break;
        }
        yield return new(MetricNames.StudentParameters, "", MetricDirection.LowerIsBetter, "student parameters") { Format = "N0" };
        yield return new("distill.validation_accuracy", "", MetricDirection.HigherIsBetter, "distilled student validation accuracy") { Format = "0.####" };
        yield return new("distill.student_test_accuracy", "", MetricDirection.HigherIsBetter, "distilled student test accuracy (before later stages)") { Format = "0.####" };
        yield return new("distill.seconds", "s", MetricDirection.LowerIsBetter, "distillation training time") { Format = "0.0" };
        yield return new("distill.training_rows", "", MetricDirection.Neither, "distillation training rows") { Format = "N0" };
        yield return new("distill.labelled_rows", "", MetricDirection.Neither, "labelled training rows") { Format = "N0" };
        yield return new("distill.teacher_time_share", "", MetricDirection.LowerIsBetter, "share of training time spent in the teacher");
        bool auto = string.Equals(settings.Method, CandidateSearch.Auto, StringComparison.OrdinalIgnoreCase);
        if (auto)
        {
            yield return new("distill.auto.scratch_validation_accuracy", "", MetricDirection.Neither, "scratch candidate validation accuracy") { Format = "0.####" };
        }
        if (settings.CompareWithScratch || settings.Repeats > 1 || auto)
        {
            yield return new(MetricNames.ScratchAccuracy, "", MetricDirection.Neither, "student trained from scratch, test accuracy") { Format = "0.####" };
            yield return new(MetricNames.DistillationGainPoints, "points", MetricDirection.HigherIsBetter, "KD gain over scratch") { Format = "+0.00;-0.00" };
            yield return new(MetricNames.DistillationGainLowPoints, "points", MetricDirection.HigherIsBetter, "lower bound of the KD gain's 95% interval") { Format = "+0.00;-0.00" };
            yield return new(MetricNames.DistillationGainHighPoints, "points", MetricDirection.HigherIsBetter, "upper bound of the KD gain's 95% interval") { Format = "+0.00;-0.00" };
            yield return new(MetricNames.DistillationGainRepeats, "", MetricDirection.Neither, "seeds behind the KD gain") { Format = "0" };
            yield return new(MetricNames.DistillationGapRecovered, "", MetricDirection.HigherIsBetter, "share of the scratch-to-teacher gap distillation closed") { Format = "0.00" };
        }
    }
}
