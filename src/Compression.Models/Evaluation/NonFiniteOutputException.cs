using System.Globalization;

namespace Compression.Models.Evaluation;

/// <summary>
/// A model gave a NaN or infinite logit on a finite input sample: its weights are broken (training
/// diverged, or the file was made that way). Never scored: a NaN compares false with everything, so
/// a broken model would otherwise pass checks by accident.
/// </summary>
public sealed class NonFiniteOutputException(string onnxPath, int sample, float value)
    : Exception(string.Create(CultureInfo.InvariantCulture,
        $"{Path.GetFileName(onnxPath)} gives a non-finite logit ({value}) for sample {sample}: the model's weights are broken (did training diverge? lower the learning rate), so it is not evaluated"))
{
    /// <summary>The model file.</summary>
    public string OnnxPath { get; } = onnxPath;
}
