using Compression.Abstractions.Data;
using Compression.Onnx;

namespace Compression.Models.Evaluation;

/// <summary>
/// Runs an ONNX classifier over a split through ONNX Runtime: logits and top-1 accuracy. The one
/// place the host's evaluation and the ONNX-side stages (calibrate, quantize) get logits from.
/// </summary>
public static class ClassifierEvaluator
{
    private const int BatchSize = 256;

    /// <summary>Row-major logits [count, classes] for every sample of <paramref name="data"/>.</summary>
    /// <exception cref="InvalidDataException">The model does not give <paramref name="classCount"/> outputs per sample.</exception>
    public static float[] Logits(string onnxPath, LabelledData data, int classCount, CancellationToken cancellationToken, int intraOpThreads = 0) =>
        Compute(onnxPath, data, classCount, cancellationToken, null, intraOpThreads);

    /// <summary>As <see cref="Logits"/>, reporting the samples done after each batch (a big teacher takes minutes).</summary>
    /// <param name="onnxPath">The classifier.</param>
    /// <param name="data">The samples.</param>
    /// <param name="classCount">Logits per sample.</param>
    /// <param name="progress">Receives the number of samples done.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    public static float[] LogitsWithProgress(string onnxPath, LabelledData data, int classCount, IProgress<int> progress, CancellationToken cancellationToken) =>
        Compute(onnxPath, data, classCount, cancellationToken, progress, 0);

    private static float[] Compute(string onnxPath, LabelledData data, int classCount, CancellationToken cancellationToken, IProgress<int>? progress, int intraOpThreads)
    {
        using var session = new OnnxInferenceSession(onnxPath, intraOpThreads);
        var logits = new float[(long)data.Count * classCount];
        for (int start = 0; start < data.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(BatchSize, data.Count - start);
            float[] batch = session.Run(data.Rows(start, count), count);
            CheckLogits(onnxPath, batch.Length, count, classCount);
            CheckFinite(onnxPath, batch, start, classCount);
            batch.CopyTo(logits.AsSpan(start * classCount));
            progress?.Report(start + count);
        }
        return logits;
    }

    /// <summary>Checks that a model gave <paramref name="classCount"/> logits for each of <paramref name="count"/> samples.</summary>
    /// <exception cref="InvalidDataException">It gave another number of outputs.</exception>
    public static void CheckLogits(string onnxPath, long outputs, int count, int classCount)
    {
        if (outputs != (long)count * classCount)
        {
            throw new InvalidDataException(
                $"{Path.GetFileName(onnxPath)} gives {outputs / Math.Max(count, 1)} outputs per sample; a classifier for this data must give {classCount} logits per sample ([batch, {classCount}])");
        }
    }

    /// <summary>
    /// Checks that every logit is finite: a NaN's arg-max is class 0, so a broken model would otherwise
    /// score chance accuracy and pass any run without an accuracy budget.
    /// </summary>
    /// <exception cref="NonFiniteOutputException">A logit is NaN or infinite.</exception>
    public static void CheckFinite(string onnxPath, ReadOnlySpan<float> logits, int firstSample, int classCount)
    {
        for (int i = 0; i < logits.Length; i++)
        {
            if (!float.IsFinite(logits[i]))
            {
                throw new NonFiniteOutputException(onnxPath, firstSample + (i / classCount), logits[i]);
            }
        }
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
            if (ArgMax(logits.Slice(i * classCount, classCount)) == labels[i])
            {
                correct++;
            }
        }
        return (double)correct / labels.Length;
    }

    /// <summary>Fraction of samples whose arg-max in <paramref name="other"/> is their arg-max in <paramref name="reference"/> (top-1 agreement; 0 for no samples).</summary>
    public static double Agreement(ReadOnlySpan<float> reference, ReadOnlySpan<float> other, int classCount)
    {
        var referenceClass = new int[reference.Length / classCount];
        for (int i = 0; i < referenceClass.Length; i++)
        {
            referenceClass[i] = ArgMax(reference.Slice(i * classCount, classCount));
        }
        return Accuracy(other, referenceClass, classCount);
    }

    /// <summary>Per sample: whether its arg-max logit is the label (what a paired test compares).</summary>
    public static bool[] Correct(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classCount)
    {
        var correct = new bool[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            correct[i] = ArgMax(logits.Slice(i * classCount, classCount)) == labels[i];
        }
        return correct;
    }

    /// <summary>The index of the largest score (the first on a tie): the predicted class.</summary>
    public static int ArgMax(ReadOnlySpan<float> scores)
    {
        int best = 0;
        for (int c = 1; c < scores.Length; c++)
        {
            if (scores[c] > scores[best])
            {
                best = c;
            }
        }
        return best;
    }
}
