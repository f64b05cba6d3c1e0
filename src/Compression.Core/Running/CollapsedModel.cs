using System.Globalization;
using Compression.Models.Evaluation;

namespace Compression.Core.Running;

/// <summary>
/// A model that gives (nearly) the same class for every test sample and is no more accurate than
/// always answering the test split's most common class has learned nothing: training diverged (a
/// learning rate far too high is the usual cause) without the loss becoming NaN. It is refused
/// (CMP4004) rather than exported, quantized and reported as "passed". Both conditions are needed:
/// on imbalanced data a useful model may be hardly better than the majority class, but it still
/// answers other classes for some samples.
/// </summary>
public static class CollapsedModel
{
    /// <summary>Share of test predictions in the model's most common predicted class from which it counts as constant.</summary>
    public const double ConstantShare = 0.99;

    /// <summary>Why the model counts as collapsed, or null when it does not.</summary>
    public static string? Check(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classCount)
    {
        int n = labels.Length;
        if (n == 0 || classCount < 2)
        {
            return null;
        }
        var predicted = new int[classCount];
        var actual = new int[classCount];
        int correct = 0;
        for (int i = 0; i < n; i++)
        {
            int p = ClassifierEvaluator.ArgMax(logits.Slice(i * classCount, classCount));
            predicted[p]++;
            if ((uint)labels[i] < (uint)classCount)
            {
                actual[labels[i]]++;
            }
            correct += p == labels[i] ? 1 : 0;
        }
        int top = Array.IndexOf(predicted, predicted.Max());
        double share = (double)predicted[top] / n;
        double accuracy = (double)correct / n;
        double majority = (double)actual.Max() / n;
        if (share < ConstantShare || accuracy > majority)
        {
            return null;
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"answers class {top} for {share * 100:0.#}% of the {n:N0} test samples and is {accuracy * 100:0.00}% accurate, no better than always answering the most common class ({majority * 100:0.00}%): it learned nothing (training diverged; a learning rate far too high is the usual cause)");
    }
}
