using Compression.Onnx;
using Compression.Onnx.Proto;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace Compression.Quantization.Qdq;

/// <summary>
/// Runs calibration batches through a copy of a model that exposes chosen intermediate tensors as extra
/// outputs, and hands each run's values of every tensor to a callback: what range calibration and bias
/// correction both need.
/// </summary>
internal static class ProbeRuns
{
    /// <summary>Calls <paramref name="visit"/> with (tensor index, values, shape) for each run of each batch.</summary>
    public static void Run(
        ModelProto model, IReadOnlyList<string> tensors, IEnumerable<(float[] Batch, int Count)> batches,
        Action<int, ReadOnlySpan<float>, long[]> visit, CancellationToken cancellationToken)
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

        using var session = new InferenceSession(probe.ToByteArray());
        var input = session.InputMetadata.First();
        int[] declared = input.Value.Dimensions.Skip(1).ToArray();
        // A model that fixes its batch (many exported ones say 1) runs each batch in pieces of that
        // size; a remainder too small for a piece is left out rather than padded (padding would
        // put made-up values into what is measured).
        int? fixedBatch = OnnxInferenceSession.FixedBatchOf(input.Value);
        string[] names = [.. tensors];
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
                using var results = session.Run(runOptions, [input.Key], [value], names);
                for (int i = 0; i < names.Length; i++)
                {
                    visit(i, results[i].GetTensorDataAsSpan<float>(), results[i].GetTensorTypeAndShape().Shape);
                }
            }
        }
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
}
