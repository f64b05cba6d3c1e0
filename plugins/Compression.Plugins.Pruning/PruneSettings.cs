using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Compression.Plugins.Pruning;

/// <summary>Settings of the prune stage: what to remove, by which measure, and how to recover.</summary>
public sealed class PruneSettings
{
    [AllowedValues("structured", "unstructured", ErrorMessage = "must be \"structured\" or \"unstructured\"")]
    [Description("\"structured\": remove whole conv channels and linear units (a smaller, faster model); \"unstructured\": zero single weights by magnitude (same shape and speed; the file compresses better).")]
    public string Mode { get; set; } = "structured";

    [AllowedValues("l1", "l2", "bn-scale", "taylor", ErrorMessage = "must be \"l1\", \"l2\", \"bn-scale\" or \"taylor\"")]
    [Description("Structured: how a channel's importance is measured: \"l1\" or \"l2\" norm of every weight tied to it, \"bn-scale\" (|batchnorm scale|, network slimming; L1 where a channel has no batchnorm) or \"taylor\" (first-order Taylor estimate of the loss change, Molchanov et al. 2019).")]
    public string Criterion { get; set; } = "l1";

    [Range(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true, ErrorMessage = "must be in (0, 1)")]
    [Description("Structured: the pruned model's multiply-adds per sample as a share of the unpruned model's, e.g. 0.5 removes half.")]
    public double? TargetFlopsRatio { get; set; }

    [Range(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true, ErrorMessage = "must be in (0, 1)")]
    [Description("Structured: the pruned model's parameters as a share of the unpruned model's.")]
    public double? TargetParamsRatio { get; set; }

    [Range(1, 1024, ErrorMessage = "must be between 1 and 1024")]
    [Description("Structured: keep channel counts that a target sets at multiples of this (a layer with this many channels or fewer stays whole). ONNX Runtime's fast convolution blocks channels by 8 (AVX2) or 16 (AVX-512) and falls back to a slower one otherwise, so 16 turns fewer FLOPs into lower latency; 1 prunes to the exact target.")]
    public int RoundTo { get; set; } = 1;

    [Description("Structured: per layer (by its \"name\" in the spec), the share of its channels to keep, in (0, 1); these layers are left out of targetFlopsRatio/targetParamsRatio.")]
    public Dictionary<string, double> Layers { get; set; } = [];

    [Description("Layers (by \"name\") whose outputs keep every channel (structured) or every weight (unstructured).")]
    public List<string> Exclude { get; set; } = [];

    [Range(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true, ErrorMessage = "must be in (0, 1)")]
    [Description("Unstructured: the share of conv and linear weights set to zero, e.g. 0.9.")]
    public double? TargetSparsity { get; set; }

    [AllowedValues("global", "layer", ErrorMessage = "must be \"global\" or \"layer\"")]
    [Description("Unstructured: \"global\" ranks all weights by magnitude together (layers end up with different sparsities), \"layer\" gives every layer the target sparsity.")]
    public string Scope { get; set; } = "global";

    [Range(1, 100, ErrorMessage = "must be between 1 and 100")]
    [Description("Prune-then-fine-tune rounds; the share removed follows Zhu and Gupta's (2017) cubic ramp over them, most of it early.")]
    public int Steps { get; set; } = 3;

    [Range(0, 1000, ErrorMessage = "must be between 0 and 1000")]
    [Description("Passes over the training data after each round, to recover accuracy.")]
    public int FineTuneEpochs { get; set; } = 2;

    [Range(1, 1_000_000, ErrorMessage = "must be between 1 and 1000000")]
    [Description("Samples per fine-tuning step.")]
    public int BatchSize { get; set; } = 64;

    [Range(1e-9, 10.0, ErrorMessage = "must be between 1e-9 and 10")]
    [Description("Peak learning rate of each round's fine-tuning (cosine to zero over the round).")]
    public double LearningRate { get; set; } = 5e-4;

    [AllowedValues("adam", "adamw", "sgd", ErrorMessage = "must be \"adam\", \"adamw\" or \"sgd\"")]
    [Description("\"adam\", \"adamw\" or \"sgd\" (momentum 0.9).")]
    public string Optimizer { get; set; } = "adam";

    [Range(0.0, 1.0, ErrorMessage = "must be in [0, 1]")]
    [Description("L2 weight decay while fine-tuning.")]
    public double WeightDecay { get; set; }

    [Description("How fine-tuning learns: a distillation method from the teachers (\"kd\" by default; see `compress plugins`), or \"none\" for the hard labels alone.")]
    public string Method { get; set; } = "kd";

    [Range(1e-6, 1000.0, ErrorMessage = "must be between 1e-6 and 1000")]
    [Description("Softening temperature T of the distillation method.")]
    public double Temperature { get; set; } = 4;

    [Range(0.0, 1.0, ErrorMessage = "must be in [0, 1]")]
    [Description("Weight of the teachers' soft targets; hard labels get 1 - alpha.")]
    public double Alpha { get; set; } = 0.9;

    [Description("Numbers specific to the distillation method.")]
    public Dictionary<string, double> MethodParameters { get; set; } = [];

    [Range(1, 10_000, ErrorMessage = "must be between 1 and 10000")]
    [Description("Criterion \"taylor\": training batches whose gradients estimate the importance.")]
    public int TaylorBatches { get; set; } = 32;
}
