using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Compression.Quantization.Ranges;

namespace Compression.Plugins.Quantization;

/// <summary>Settings of the quantize stage (static INT8 in QDQ form, or dynamic).</summary>
public sealed class QuantizeSettings
{
    [Description("\"static\": QDQ with calibrated activation ranges, fused by ONNX Runtime into QLinearConv/QGemm; \"dynamic\": int8 weights, activations quantized at run time (no calibration).")]
    [AllowedValues("static", "dynamic", ErrorMessage = "must be \"static\" or \"dynamic\"")]
    public string Mode { get; set; } = "static";

    [Description("Dynamic mode only: also turn Conv into ConvInteger. Off by default: ONNX Runtime's ConvInteger measured about 6x slower than its float Conv on CPU; on, it still shrinks conv weights 4x.")]
    public bool DynamicConv { get; set; }

    [Description("How activation ranges are chosen: \"minMax\", \"percentile\" or \"entropy\".")]
    public CalibrationMethod Calibrator { get; set; } = CalibrationMethod.MinMax;

    [Range(50.0, 100.0, ErrorMessage = "must be in [50, 100]")]
    [Description("Percentile of |x| for the percentile calibrator.")]
    public double Percentile { get; set; } = 99.99;

    [Range(1, 10_000, ErrorMessage = "must be between 1 and 10000")]
    [Description("Batches of the train split used to calibrate activation ranges.")]
    public int CalibrationBatches { get; set; } = 10;

    [Range(1, 65_536, ErrorMessage = "must be between 1 and 65536")]
    public int BatchSize { get; set; } = 64;

    [Description("A weight scale per output channel (true) or per tensor (false).")]
    public bool PerChannel { get; set; } = true;

    [Description("\"uint8\" (asymmetric) or \"int8\" (symmetric) activations.")]
    [AllowedValues("uint8", "int8", ErrorMessage = "must be \"uint8\" or \"int8\"")]
    public string Activations { get; set; } = "uint8";

    [Description("Static mode: empirical bias correction (Nagel et al. 2019). Rounding weights to int8 shifts each output channel's mean; that shift, measured on the calibration batches with each node's actual int8 input, is subtracted from the node's float bias before it becomes int32. Conv and Gemm. One more pass over the calibration batches per quantized model.")]
    public bool BiasCorrection { get; set; }

    [Description("Static mode: quantization-aware fine-tuning before the int8 model is written. The float model with the int8 model's Q/DQ pairs (same calibrated activation ranges, weights rounded to their int8 scales with a straight-through gradient) is imported as a TorchSharp module and its weights and biases trained to reproduce the fp32 model's logits on the train rows (mean squared error: distillation from the model itself, no labels used); then it is quantized as usual. Off when absent.")]
    public FineTuneSettings? FineTune { get; set; }

    [Description("Static mode: what to do with convolutions reading fewer than 32 values per output (e.g. a 3x3 conv on a 1-channel image), which ONNX Runtime often runs slower in int8: \"auto\" times both and keeps the faster, \"quantize\" or \"float\".")]
    [AllowedValues("auto", "quantize", "float", ErrorMessage = "must be \"auto\", \"quantize\" or \"float\"")]
    public string ShallowConvs { get; set; } = "auto";

    [Description("Also quantize the teacher the same way and report its fp32 vs int8 figures (a larger model shows the int8 speedup better).")]
    public bool QuantizeTeacher { get; set; }

    [Description("\"whenBetter\" (default): when the int8 file is larger than the fp32 one and not at least 10% faster at batch 64, ship the fp32 model and warn (CMP5010); \"whenFaster\": ship int8 only when it is at least 10% faster at batch 64 (latency first: a smaller int8 file that is slower ships fp32, CMP5010); \"always\": ship int8 whatever it measures.")]
    [AllowedValues("whenBetter", "whenFaster", "always", ErrorMessage = "must be \"whenBetter\", \"whenFaster\" or \"always\"")]
    public string ShipInt8 { get; set; } = "whenBetter";

    [Range(0.5, 1.0, ErrorMessage = "must be in [0.5, 1]")]
    [Description("Static mode: accuracy-aware mixed precision. The least number of quantized nodes, first-ranked first (see floatRanking), stay float until the int8 model's top-1 class agrees with the fp32 model's on at least this share of held-out rows (the validation split, then transfer rows; never test or train rows). Off when absent.")]
    public double? MinAgreement { get; set; }

    [Description("How minAgreement ranks the nodes it may keep float: \"errorPerLatency\" (default): by the logit error a node's float copy removes per millisecond it adds at batch 1 (each timed side by side with the fully int8 model), so int8 stays where it buys speed; \"error\": by the error removed alone.")]
    [AllowedValues("errorPerLatency", "error", ErrorMessage = "must be \"errorPerLatency\" or \"error\"")]
    public string FloatRanking { get; set; } = "errorPerLatency";

    [Range(10, 100_000, ErrorMessage = "must be between 10 and 100000")]
    [Description("How many held-out rows minAgreement is measured on.")]
    public int AgreementSamples { get; set; } = 1000;

    [Description("The embedding task only: more sequence lengths (tokens, each at most the data's maxLength) at which fp32 and int8 are timed at batch 1 and 64, the test documents cut or padded to each; the data's own length is always timed.")]
    public List<int> SequenceLengths { get; set; } = [];

    [Description("Names of nodes to keep in float.")]
    public List<string> Exclude { get; set; } = [];
}
