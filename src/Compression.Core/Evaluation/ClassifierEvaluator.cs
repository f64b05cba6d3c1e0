using Compression.Abstractions.Data;
using Compression.Onnx;

namespace Compression.Core.Evaluation;

/// <summary>Runs an ONNX classifier over a split through ONNX Runtime: logits and top-1 accuracy.</summary>
public static class ClassifierEvaluator
{
    private const int BatchSize = 256;

    /// <summary>Row-major logits [count, classes] for every sample of <paramref name="data"/>.</summary>
    public static float[] Logits(string onnxPath, LabelledData data, int classCount, CancellationToken cancellationToken)
    {
        using var session = new OnnxInferenceSession(onnxPath);
        var logits = new float[(long)data.Count * classCount];
        for (int start = 0; start < data.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(BatchSize, data.Count - start);
            float[] batch = session.Run(data.Rows(start, count), count);
            if (batch.Length != count * classCount)
            {
                throw new InvalidDataException(
                    $"{onnxPath} returned {batch.Length / Math.Max(count, 1)} outputs per sample; the data set has {classCount} classes");
            }
            batch.CopyTo(logits.AsSpan(start * classCount));
        }
        return logits;
    }

    /// <summary>Fraction of samples whose arg-max logit is the label.</summary>
    public static double Accuracy(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classCount)
    {
        if (labels.Length == 0)
        {
            return 0;
        }
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            ReadOnlySpan<float> row = logits.Slice(i * classCount, classCount);
            int best = 0;
            for (int c = 1; c < classCount; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }
            if (best == labels[i])
            {
                correct++;
            }
        }
        return (double)correct / labels.Length;
    }
}
