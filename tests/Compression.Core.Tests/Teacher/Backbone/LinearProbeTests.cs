using Compression.Abstractions.Data;
using Compression.Core.Teacher.Backbone;

namespace Compression.Core.Tests.Teacher.Backbone;

public class LinearProbeTests
{
    /// <summary>Three Gaussian blobs in 6 features, on very different scales and offsets (standardisation must cope).</summary>
    private static LabelledData Blobs(int count, int seed)
    {
        var random = new Random(seed);
        var features = new float[count * 6];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % 3;
            for (int j = 0; j < 6; j++)
            {
                double centre = j == labels[i] ? 3 : 0;
                double noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                features[(i * 6) + j] = (float)((centre + noise) * (j + 1) * 100) + 1000;
            }
        }
        return new LabelledData(features, [6], labels);
    }

    [Fact]
    public void The_folded_head_classifies_raw_features_of_separable_classes()
    {
        LabelledData train = Blobs(300, 1);
        LabelledData test = Blobs(150, 2);

        (float[] weight, float[] bias, var summary) = LinearProbe.Fit(train, Blobs(60, 3), 3, seed: 7, progress: null, CancellationToken.None);

        Assert.Equal(18, weight.Length);
        Assert.Equal(3, bias.Length);
        int correct = 0;
        for (int i = 0; i < test.Count; i++)
        {
            double[] logits = [.. Enumerable.Range(0, 3).Select(c => bias[c] + Enumerable.Range(0, 6).Sum(j => (double)weight[(c * 6) + j] * test.Features[(i * 6) + j]))];
            correct += Array.IndexOf(logits, logits.Max()) == test.Labels[i] ? 1 : 0;
        }
        Assert.True(correct >= 0.9 * test.Count, $"{correct}/{test.Count} correct on raw features");
        Assert.True(summary.ValidationAccuracy >= 0.9, $"validation accuracy {summary.ValidationAccuracy}");
    }
}
