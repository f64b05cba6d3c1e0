using Compression.Onnx.Proto;
using Compression.Quantization.Calibration;
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
        long[] sampleShape = input.Value.Dimensions.Skip(1).Select(d => (long)Math.Max(d, 1)).ToArray();
        foreach (var (batch, count) in batches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var value = OrtValue.CreateTensorValueFromMemory(batch, [count, .. sampleShape]);
            using var results = session.Run(new RunOptions(), [input.Key], [value], tensors.ToArray());
            for (int i = 0; i < tensors.Count; i++)
            {
                calibrators[tensors[i]].Collect(results[i].GetTensorDataAsSpan<float>());
            }
        }
        return calibrators.ToDictionary(p => p.Key, p => p.Value.ComputeRange(), StringComparer.Ordinal);
    }
}
