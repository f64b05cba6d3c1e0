namespace Compression.Models.Evaluation;

/// <summary>How well a classifier's probabilities match its accuracy (Guo et al. 2017, section 2).</summary>
/// <param name="Ece">Expected calibration error: bin-weighted mean |accuracy - confidence| over equal-width confidence bins.</param>
/// <param name="Mce">Maximum calibration error: the largest |accuracy - confidence| over non-empty bins.</param>
/// <param name="Nll">Mean negative log-likelihood of the true class.</param>
/// <param name="Brier">Mean squared error between the probability vector and the one-hot label, summed over classes.</param>
/// <param name="Accuracy">Top-1 accuracy.</param>
/// <param name="Bins">Per bin: mean confidence, accuracy and sample count (for the reliability diagram).</param>
public sealed record CalibrationMetrics(double Ece, double Mce, double Nll, double Brier, double Accuracy, IReadOnlyList<(double Confidence, double Accuracy, int Count)> Bins)
{
    /// <summary>Measures logits [count, classes] at a temperature against labels.</summary>
    public static CalibrationMetrics Measure(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes, double temperature, int binCount)
    {
        int count = labels.Length;
        var confidenceSum = new double[binCount];
        var correctSum = new int[binCount];
        var binSize = new int[binCount];
        double nll = 0, brier = 0;
        int correct = 0;
        var probabilities = new double[classes];
        for (int i = 0; i < count; i++)
        {
            Softmax(logits.Slice(i * classes, classes), temperature, probabilities);
            int predicted = 0;
            for (int c = 1; c < classes; c++)
            {
                if (probabilities[c] > probabilities[predicted])
                {
                    predicted = c;
                }
            }
            bool hit = predicted == labels[i];
            correct += hit ? 1 : 0;
            nll -= Math.Log(Math.Max(probabilities[labels[i]], 1e-300));
            for (int c = 0; c < classes; c++)
            {
                double target = c == labels[i] ? 1 : 0;
                brier += (probabilities[c] - target) * (probabilities[c] - target);
            }
            double confidence = probabilities[predicted];
            // Bin b holds confidences in (b/B, (b+1)/B]; the lowest bin also takes 0.
            int bin = Math.Clamp((int)Math.Ceiling(confidence * binCount) - 1, 0, binCount - 1);
            confidenceSum[bin] += confidence;
            correctSum[bin] += hit ? 1 : 0;
            binSize[bin]++;
        }

        double ece = 0, mce = 0;
        var bins = new List<(double, double, int)>();
        for (int b = 0; b < binCount; b++)
        {
            if (binSize[b] == 0)
            {
                bins.Add((0, 0, 0));
                continue;
            }
            double meanConfidence = confidenceSum[b] / binSize[b];
            double accuracy = (double)correctSum[b] / binSize[b];
            double gap = Math.Abs(accuracy - meanConfidence);
            ece += gap * binSize[b] / count;
            mce = Math.Max(mce, gap);
            bins.Add((meanConfidence, accuracy, binSize[b]));
        }
        return new CalibrationMetrics(ece, mce, nll / count, brier / count, (double)correct / count, bins);
    }

    /// <summary>Numerically stable softmax of logits / temperature.</summary>
    public static void Softmax(ReadOnlySpan<float> logits, double temperature, Span<double> probabilities)
    {
        double max = double.NegativeInfinity;
        foreach (float value in logits)
        {
            max = Math.Max(max, value / temperature);
        }
        double sum = 0;
        for (int c = 0; c < logits.Length; c++)
        {
            probabilities[c] = Math.Exp((logits[c] / temperature) - max);
            sum += probabilities[c];
        }
        for (int c = 0; c < logits.Length; c++)
        {
            probabilities[c] /= sum;
        }
    }
}
