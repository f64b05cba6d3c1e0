using Compression.Onnx;
using Compression.Onnx.Proto;
using Compression.Quantization.Ranges;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

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
        ModelProto probe = model.Clone();
        var existing = probe.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (string name in tensors.Where(t => !existing.Contains(t)))
        {
            probe.Graph.Output.Add(new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
            });
        }

        var calibrators = tensors.ToDictionary(t => t, _ => CalibratorFactory.Create(method, options), StringComparer.Ordinal);
        using var session = new InferenceSession(probe.ToByteArray());
        var input = session.InputMetadata.First();
        int[] declared = input.Value.Dimensions.Skip(1).ToArray();
        // A model that fixes its batch (many exported ones say 1) runs each batch in pieces of that
        // size; a remainder too small for a piece is left out rather than padded (padding would
        // put made-up values into the ranges).
        int? fixedBatch = OnnxInferenceSession.FixedBatchOf(input.Value);
        using var runOptions = new RunOptions();
        foreach (var (batch, count) in batches)
        {
            int piece = fixedBatch ?? count;
            long[] sampleShape = SampleShape(declared, batch.Length, count);
            int sampleSize = (int)sampleShape.Aggregate(1L, (a, b) => a * b);
            for (int start = 0; start + piece <= count; start += piece)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batch.AsMemory(start * sampleSize, piece * sampleSize), [piece, .. sampleShape]);
                using var results = session.Run(runOptions, [input.Key], [value], tensors.ToArray());
                for (int i = 0; i < tensors.Count; i++)
                {
                    calibrators[tensors[i]].Collect(results[i].GetTensorDataAsSpan<float>());
                }
            }
        }
        return calibrators.ToDictionary(p => p.Key, p => Range(p.Key, p.Value), StringComparer.Ordinal);
    }

    /// <summary>
    /// A sample's shape: the declared one, with one dynamic dimension (a token sequence's length) read from
    /// the batch's size; other dynamic dimensions are 1.
    /// </summary>
    private static long[] SampleShape(int[] declared, int batchLength, int count)
    {
        long known = declared.Where(d => d > 0).Aggregate(1L, (a, b) => a * b);
        int dynamic = declared.Count(d => d <= 0);
        long perSample = count > 0 ? batchLength / count : 0;
        bool readLength = dynamic == 1 && count > 0 && perSample % known == 0 && perSample / known > 0;
        return [.. declared.Select(d => d > 0 ? d : readLength ? perSample / known : 1L)];
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
