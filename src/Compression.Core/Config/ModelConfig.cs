using System.ComponentModel;

namespace Compression.Core.Config;

/// <summary>
/// The app's own model as the pipeline's input (<c>"model"</c>): an ONNX classifier the stages
/// compress (quantize, calibrate, benchmark) with no training, and the reference the result is
/// compared with (it stands where a teacher would: <c>teacher.*</c> metrics are its figures).
/// </summary>
public sealed class ModelConfig
{
    [Description("Path of the app's ONNX classifier, relative to this file: the pipeline's starting model and the reference its result is compared with.")]
    public string? Onnx { get; set; }

    [Description("What the model takes, declared rather than guessed: layout, channels, size and the normalisation its training used. Samples are fed in this layout and normalised this way (data.normalization must be left out).")]
    public ModelInputConfig? Input { get; set; }

    [Description("\"fit\" makes the file a backbone that gives features (e.g. a pretrained ResNet-18) and fits a linear classifier on its features of the labelled training rows (once, cached); the model is then the backbone plus that head.")]
    public string? Head { get; set; }

    [Description("An ONNX graph run before the model (e.g. ResNetPreprocess.onnx beside ML.NET's ResNet-18); \"input\" then declares what this graph takes.")]
    public string? Preprocess { get; set; }

    [Description("The model's licence, an SPDX expression (e.g. \"Apache-2.0\"); default: the ONNX file's metadata key \"license\".")]
    public string? License { get; set; }

    [Description("Terms the model's licence imposes beyond its SPDX id: \"no-training-on-outputs\", \"non-commercial\".")]
    public List<string>? Terms { get; set; }
}

/// <summary>
/// The input contract of <see cref="ModelConfig"/>: a sample's layout and size, and the normalisation
/// <c>x' = (x * scale - mean[c]) / std[c]</c> per channel <c>c</c>, applied to the data's raw values.
/// </summary>
public sealed class ModelInputConfig
{
    [Description("\"NCHW\" (channels first, PyTorch's export), \"NHWC\" (channels last, TensorFlow/Keras) or \"NC\" (a vector of features per sample).")]
    public string? Layout { get; set; }

    [Description("NCHW/NHWC: channels per pixel (1 grayscale, 3 RGB).")]
    public int? Channels { get; set; }

    [Description("NCHW/NHWC: [height, width] in pixels.")]
    public List<int>? Size { get; set; }

    [Description("NC: features per sample.")]
    public int? Features { get; set; }

    [Description("Multiplies the data's raw values first, e.g. 0.00392156862745098 (1/255) for bytes to [0, 1]; default 1.")]
    public double Scale { get; set; } = 1;

    [Description("Subtracted after scaling: one value for all channels, or one per channel (NC: per feature), e.g. ImageNet's [0.485, 0.456, 0.406].")]
    public List<double>? Mean { get; set; }

    [Description("Divides after subtracting the mean: one value, or one per channel (NC: per feature), e.g. ImageNet's [0.229, 0.224, 0.225].")]
    public List<double>? Std { get; set; }
}
