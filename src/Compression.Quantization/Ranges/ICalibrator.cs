namespace Compression.Quantization.Ranges;

/// <summary>
/// Collects an activation's values batch by batch, then computes its range. Collecting and computing
/// are separate steps (as in ONNX Runtime's calibrate.py) so a data reader can stream batches;
/// every implementation keeps bounded memory (a fixed histogram or two numbers) however much data
/// it sees.
/// </summary>
public interface ICalibrator
{
    /// <summary>Adds one batch of the activation's values.</summary>
    void Collect(ReadOnlySpan<float> values);

    /// <summary>The range to quantize over; throws when nothing was collected.</summary>
    TensorRange ComputeRange();
}
