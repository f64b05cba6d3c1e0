namespace Compression.Abstractions.Metrics;

/// <summary>
/// Names of the metrics that budgets and the summary read. Stages may report others freely;
/// these are the ones with a fixed meaning.
/// </summary>
public static class MetricNames
{
    /// <summary>Test accuracy of the teacher, in [0, 1].</summary>
    public const string TeacherAccuracy = "teacher.accuracy";

    /// <summary>Test accuracy of the final student model, in [0, 1].</summary>
    public const string StudentAccuracy = "student.accuracy";

    /// <summary>Student accuracy divided by teacher accuracy.</summary>
    public const string AccuracyRetention = "accuracy.retention";

    /// <summary>Teacher accuracy minus student accuracy, in percentage points.</summary>
    public const string AccuracyDropPoints = "accuracy.drop_points";

    /// <summary>Parameter count of the teacher.</summary>
    public const string TeacherParameters = "teacher.parameters";

    /// <summary>Parameter count of the student.</summary>
    public const string StudentParameters = "student.parameters";

    /// <summary>Size in bytes of the teacher's ONNX file.</summary>
    public const string TeacherModelBytes = "teacher.model_bytes";

    /// <summary>Size in bytes of the student's final ONNX file.</summary>
    public const string StudentModelBytes = "student.model_bytes";

    /// <summary>Expected calibration error of the teacher on the test split (15 equal-width bins).</summary>
    public const string TeacherEce = "teacher.ece";

    /// <summary>Expected calibration error of the final student on the test split (15 equal-width bins).</summary>
    public const string StudentEce = "student.ece";

    /// <summary>Mean negative log-likelihood of the final student's probabilities on the test split (nats per sample).</summary>
    public const string StudentNll = "student.nll";

    /// <summary>Fraction of test samples on which the final student's top-1 class is the teacher's (whatever the label): how faithfully a compressed model reproduces its reference.</summary>
    public const string TeacherAgreement = "student.teacher_agreement";

    /// <summary>Test accuracy of the same student trained from scratch (no teacher), when measured.</summary>
    public const string ScratchAccuracy = "scratch.accuracy";

    /// <summary>
    /// Distilled minus scratch test accuracy, in percentage points: the mean over the distill stage's
    /// repeats (paired by seed), or the single difference.
    /// </summary>
    public const string DistillationGainPoints = "distill.gain_points";

    /// <summary>Lower bound of the 95% interval of <see cref="DistillationGainPoints"/>.</summary>
    public const string DistillationGainLowPoints = "distill.gain_ci_low_points";

    /// <summary>Upper bound of the 95% interval of <see cref="DistillationGainPoints"/>.</summary>
    public const string DistillationGainHighPoints = "distill.gain_ci_high_points";

    /// <summary>
    /// Number of seeds behind the KD gain's interval; 1 means the interval is a paired bootstrap over
    /// test samples and covers evaluation noise only.
    /// </summary>
    public const string DistillationGainRepeats = "distill.gain_repeats";

    /// <summary>(distilled - scratch) / (teacher - scratch) test accuracy: the share of the gap distillation closed.</summary>
    public const string DistillationGapRecovered = "distill.gap_recovered";

    /// <summary>Test accuracy of the student before quantization (the quantize stage measures it beside the int8 model).</summary>
    public const string StudentFp32Accuracy = "quantize.fp32_accuracy";

    /// <summary>Size in bytes of the student's ONNX file before quantization.</summary>
    public const string StudentFp32ModelBytes = "quantize.fp32_bytes";

    /// <summary>Median latency in ms of the student before quantization at batch 1, measured beside the int8 model.</summary>
    public const string StudentFp32LatencyBatch1 = "quantize.fp32_latency_ms.batch1";

    /// <summary>Median latency in ms of the student before quantization at batch 64, measured beside the int8 model.</summary>
    public const string StudentFp32LatencyBatch64 = "quantize.fp32_latency_ms.batch64";

    /// <summary>Latency percentile of a model at a batch size: <c>{model}.latency.p{q}_ms.batch{b}</c>.</summary>
    public static string Latency(string model, int percentile, int batchSize) =>
        $"{model}.latency.p{percentile}_ms.batch{batchSize}";

    /// <summary>Throughput of a model at a batch size, samples per second: <c>{model}.throughput.batch{b}</c>.</summary>
    public static string Throughput(string model, int batchSize) => $"{model}.throughput.batch{batchSize}";

    /// <summary>Teacher p50 latency over student p50 latency at a batch size: <c>speedup.batch{b}</c>.</summary>
    public static string Speedup(int batchSize) => $"speedup.batch{batchSize}";

    /// <summary>
    /// Peak resident memory, in bytes, of loading and running a model at the benchmark's largest batch
    /// size in a process of its own, above that process's baseline (see <see cref="Stages.IModelMemoryProbe"/>).
    /// </summary>
    public static string PeakMemory(string model) => $"{model}.memory_bytes";

    /// <summary>
    /// Student p50 over teacher p50 latency at a batch size in one of the benchmark's repeated runs
    /// (run 1, 2, ...): <c>latency_ratio.batch{b}.run{r}</c>, to show the ratio's spread; reported only
    /// when the benchmark repeats. (The baseline gate times the baseline's model itself instead.)
    /// </summary>
    public static string LatencyRatioRun(int batchSize, int run) => $"latency_ratio.batch{batchSize}.run{run}";

    /// <summary>Multiply-adds per sample of the teacher's ONNX graph (convolutions and matrix products).</summary>
    public const string TeacherFlops = "teacher.flops";

    /// <summary>Multiply-adds per sample of the final student's ONNX graph (convolutions and matrix products).</summary>
    public const string StudentFlops = "student.flops";
}
