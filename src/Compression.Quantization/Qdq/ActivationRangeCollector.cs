using Compression.Onnx.Proto;
using Compression.Quantization.Ranges;

namespace Compression.Quantization.Qdq;

/// <summary>
/// Measures activation ranges: a copy of the model exposes the chosen intermediate tensors as extra
/// outputs, ONNX Runtime runs the calibration batches through it, and each tensor's values go to
/// its own calibrator (whose memory is bounded, however many batches are seen).
/// </summary>
public static class ActivationRangeCollector
{
    public static IReadOnlyDictionary<string, TensorRange> Collect(
        ModelProto model, IReadOnlyList<string> tensors, IEnumerable<(float[] Batch, int Count)> batches,
        CalibrationMethod method, CalibratorOptions? options, CancellationToken cancellationToken)
    {
        var calibrators = tensors.ToDictionary(t => t, _ => CalibratorFactory.Create(method, options), StringComparer.Ordinal);
        ProbeRuns.Run(model, tensors, batches, (i, values, _) => calibrators[tensors[i]].Collect(values), cancellationToken);
        return calibrators.ToDictionary(p => p.Key, p => Range(p.Key, p.Value), StringComparer.Ordinal);
    }

    /// <exception cref="InvalidDataException">The tensor had no finite value on any calibration batch: the model is broken there.</exception>
    private static TensorRange Range(string tensor, ICalibrator calibrator)
    {
        try
        {
            return calibrator.ComputeRange();
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidDataException(
                $"activation '{tensor}' has no finite value on the calibration batches ({ex.Message}): the model gives NaN or infinite values there, so its weights are broken (did training diverge?)", ex);
        }
    }
}
