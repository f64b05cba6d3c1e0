using System.Globalization;
using System.Text;
using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Data;
using Compression.Abstractions.Diagnostics;
using Compression.Abstractions.Metrics;
using Compression.Abstractions.Stages;

namespace Compression.Plugins.Quantization;

/// <summary>
/// INT8 quantization of an ONNX model. Static: calibrates activation ranges on train batches and
/// rewrites Conv, Gemm and MatMul in QDQ form (per-channel int8 weights, int32 bias). Dynamic: int8
/// weights, activations quantized at run time. Either way it compares fp32 and int8 side by side in
/// one run (test accuracy, file size, latency at batch 1 and 64), for the student and, if asked, for
/// the teacher quantized the same way (a larger model shows the int8 speedup better).
/// </summary>
public sealed class QuantizeStage : Stage<QuantizeSettings>
{
    private readonly Func<string, string, DataSplits, CancellationToken, SideBySide> _measure;

    /// <summary>A stage that measures fp32 and int8 with <see cref="SideBySide.Measure"/>.</summary>
    public QuantizeStage()
        : this(SideBySide.Measure)
    {
    }

    /// <summary>A stage with another measurement, so tests can decide what "slower" is without timing anything.</summary>
    internal QuantizeStage(Func<string, string, DataSplits, CancellationToken, SideBySide> measure) => _measure = measure;

    public override string Name => "quantize";

    public override string Description => "INT8 quantization: static QDQ (MinMax, Percentile or Entropy calibration) or dynamic";

    /// <summary>The task whose models give embeddings rather than class logits.</summary>
    private const string EmbeddingTask = "embedding";

    public override IReadOnlyList<ArtifactKind> Consumes => [ArtifactKind.OnnxModel];

    public override IReadOnlyList<ArtifactKind> Produces => [ArtifactKind.OnnxModel];

    protected override IEnumerable<SettingsError> Validate(QuantizeSettings settings, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(settings);
        for (int i = 0; i < settings.SequenceLengths.Count; i++)
        {
            if (settings.SequenceLengths[i] is < 2 or > 65_536)
            {
                yield return new SettingsError($"sequenceLengths[{i}]", $"must be between 2 and 65536 tokens, got {settings.SequenceLengths[i]}");
            }
        }
    }

    protected override IEnumerable<MetricDescriptor> ReportedMetrics(QuantizeSettings settings) => QuantizeMetrics.For(settings);

    protected override Task<StageResult> RunAsync(StageContext context, QuantizeSettings settings, CancellationToken cancellationToken) =>
        Task.Run(() => Run(context, settings, cancellationToken), cancellationToken);

    private StageResult Run(StageContext context, QuantizeSettings settings, CancellationToken cancellationToken)
    {
        void Progress(string message) => context.Progress.Report(new StageProgress(message));
        string input = context.Input(ArtifactKind.OnnxModel).Path;
        string output = Path.Combine(context.OutputDirectory, "model.onnx");
        bool embeddings = context.Task == EmbeddingTask;
        if (embeddings && settings.QuantizeTeacher)
        {
            throw new StageException("the embedding task's teacher is a sentence encoder, which this stage does not quantize: remove quantizeTeacher (the benchmark stage times the teacher beside the student)", "quantizeTeacher");
        }
        if (!embeddings && settings.SequenceLengths.Count > 0)
        {
            throw new StageException($"sequenceLengths times text embedding models, but the task is \"{context.Task}\": remove it", "sequenceLengths");
        }
        QuantizationOutcome outcome = ModelQuantizer.Quantize(input, output, settings, context.Data, context.Seed, Progress, cancellationToken);
        Progress("measuring the student fp32 and int8 side by side");
        EmbeddingSideBySide? embedding = embeddings ? EmbeddingSideBySide.Measure(input, output, context.Data, settings.SequenceLengths, cancellationToken) : null;
        SideBySide student = embedding is null
            ? _measure(input, output, context.Data, cancellationToken)
            : new SideBySide(double.NaN, double.NaN, new FileInfo(input).Length, new FileInfo(output).Length,
                embedding.Lengths[0].Fp32Batch1, embedding.Lengths[0].Int8Batch1, embedding.Lengths[0].Fp32Batch64, embedding.Lengths[0].Int8Batch64);

        bool keepFp32 = settings.ShipInt8 switch
        {
            "whenBetter" => IsWorse(student),
            "whenFaster" => !IsClearlyFaster(student),
            _ => false,
        };
        var metrics = embedding is null
            ? new List<Metric>
            {
                new(keepFp32 ? "quantize.fp32_accuracy_measured" : MetricNames.StudentFp32Accuracy, student.Fp32Accuracy, "ratio"),
                new("quantize.int8_accuracy", student.Int8Accuracy, "ratio"),
                new("quantize.accuracy_drop_points", (student.Fp32Accuracy - student.Int8Accuracy) * 100, "points"),
            }
            : [.. QuantizeMetrics.Embedding(embedding, settings.SequenceLengths)];
        metrics.AddRange(
        [
            new(MetricNames.StudentFp32ModelBytes, student.Fp32Bytes, "bytes"),
            new("quantize.int8_bytes", student.Int8Bytes, "bytes"),
            new("quantize.size_ratio", student.SizeRatio, "ratio"),
            new(MetricNames.StudentFp32LatencyBatch1, student.Fp32Batch1, "ms"),
            new("quantize.int8_latency_ms.batch1", student.Int8Batch1, "ms"),
            new(MetricNames.StudentFp32LatencyBatch64, student.Fp32Batch64, "ms"),
            new("quantize.int8_latency_ms.batch64", student.Int8Batch64, "ms"),
            new("quantize.latency_ratio.batch1", student.LatencyRatio1, "ratio"),
            new("quantize.latency_ratio.batch64", student.LatencyRatio64, "ratio"),
            new(MetricNames.StudentModelBytes, keepFp32 ? student.Fp32Bytes : student.Int8Bytes, "bytes"),
            new("quantize.kept_fp32", keepFp32 ? 1 : 0, "flag"),
        ]);
        if (!double.IsNaN(student.Agreement))
        {
            metrics.Add(new(QuantizeMetrics.Int8Agreement, student.Agreement, "ratio"));
        }
        if (student.Fp32Batch64 > 0)
        {
            metrics.Add(new(QuantizeMetrics.Fp32ThroughputBatch64, 64_000 / student.Fp32Batch64, "samples/s"));
        }
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"{outcome.Method}; fp32 and int8 measured in one run (median of interleaved runs, one thread):");
        report.AppendLine();
        if (embedding is null)
        {
            report.AppendLine("| model | test accuracy | bytes | p50 ms, batch 1 | p50 ms, batch 64 |");
            report.AppendLine("| --- | ---: | ---: | ---: | ---: |");
            foreach (string row in student.MarkdownRows("student"))
            {
                report.AppendLine(row);
            }
        }
        else
        {
            EmbeddingReport.Append(report, embedding, student);
        }

        QuantizationOutcome? teacherOutcome = null;
        if (settings.QuantizeTeacher)
        {
            Progress("quantizing the teacher the same way");
            string teacherInt8 = Path.Combine(context.OutputDirectory, "teacher.int8.onnx");
            teacherOutcome = ModelQuantizer.Quantize(context.Teacher.OnnxPath, teacherInt8, settings, context.Data, context.Seed, Progress, cancellationToken);
            SideBySide teacher = _measure(context.Teacher.OnnxPath, teacherInt8, context.Data, cancellationToken);
            foreach (string row in teacher.MarkdownRows("teacher"))
            {
                report.AppendLine(row);
            }
            metrics.Add(new("quantize.teacher.accuracy_drop_points", (teacher.Fp32Accuracy - teacher.Int8Accuracy) * 100, "points"));
            metrics.Add(new("quantize.teacher.size_ratio", teacher.SizeRatio, "ratio"));
            metrics.Add(new("quantize.teacher.latency_ratio.batch1", teacher.LatencyRatio1, "ratio"));
            metrics.Add(new("quantize.teacher.latency_ratio.batch64", teacher.LatencyRatio64, "ratio"));
        }

        report.AppendLine();
        Describe(report, "Student", outcome);
        if (teacherOutcome is not null)
        {
            Describe(report, "Teacher", teacherOutcome);
        }
        if (student.LatencyRatio64 > 1)
        {
            report.AppendLine();
            report.AppendLine("The int8 student is slower than fp32 at batch 64 here. ONNX Runtime's float kernels win on convolutions over few input values and on very small layers; `exclude` keeps chosen nodes float, and `mode: \"dynamic\"` quantizes only the matrix products.");
        }
        if (student.SizeRatio > 1)
        {
            report.AppendLine();
            report.AppendLine("The int8 file is larger than the fp32 one: with this few weights, the scales, zero points and names that quantization adds outweigh the 4x saving on the weights.");
        }
        if (!keepFp32)
        {
            return new StageResult([new Artifact(ArtifactKind.OnnxModel, output)], metrics, report.ToString());
        }

        // Worse on the measures quantization exists for: ship the fp32 model, keep the int8 one beside it.
        string kept = Path.Combine(context.OutputDirectory, "model.fp32.onnx");
        File.Copy(input, kept);
        string message = string.Create(CultureInfo.InvariantCulture,
            $"the int8 student is {student.SizeRatio:0.00}x the fp32 file's size and {student.LatencyRatio64:0.00}x its batch-64 latency, so the fp32 model ships (set \"shipInt8\": \"always\" to ship int8 anyway)");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"**Kept fp32:** {message}. The int8 file is in this stage's output as model.onnx for inspection.");
        return new StageResult([new Artifact(ArtifactKind.OnnxModel, kept)], metrics, report.ToString())
        {
            Warnings = [new StageWarning(ErrorCodes.QuantizeKeptFp32, message, "shipInt8")],
        };
    }

    /// <summary>
    /// Int8 is worse when its file is larger and it is not clearly faster (at least 10% at batch 64,
    /// a margin above the timing noise of such small models): it then fails both things it is for.
    /// </summary>
    public static bool IsWorse(SideBySide student) => student.SizeRatio > 1 && !IsClearlyFaster(student);

    /// <summary>Int8 is clearly faster at 10% or more off the fp32 batch-64 latency, measured side by side.</summary>
    public static bool IsClearlyFaster(SideBySide student) => student.LatencyRatio64 <= 0.9;

    private static void Describe(StringBuilder report, string model, QuantizationOutcome outcome)
    {
        report.AppendLine(CultureInfo.InvariantCulture, $"{model}: quantized {string.Join(", ", outcome.Quantized)}. Left in float: {(outcome.Float.Count == 0 ? "none" : string.Join(", ", outcome.Float))}.");
        if (outcome.Note is not null)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"{outcome.Note}");
        }
        report.AppendLine();
    }
}
