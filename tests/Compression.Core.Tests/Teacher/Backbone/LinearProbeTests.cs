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

        ProbeFit probe = LinearProbe.Fit(train, Blobs(60, 3), 3, seed: 7, progress: null, CancellationToken.None);
        (float[] weight, float[] bias, var summary) = (probe.Weight, probe.Bias, probe.Summary);

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

    /// <summary>Few labels, one weakly informative feature among many of pure noise: the over-fitting case a sweep exists for.</summary>
    private static LabelledData NoisyFewLabels(int count, int seed)
    {
        const int Width = 120;
        var random = new Random(seed);
        var features = new float[count * Width];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % 2;
            for (int j = 0; j < Width; j++)
            {
                double noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                features[(i * Width) + j] = (float)(noise + (j == 0 ? labels[i] * 2.5 : 0));
            }
        }
        return new LabelledData(features, [Width], labels);
    }

    [Fact]
    public void The_sweep_keeps_a_stronger_L2_when_the_weakest_over_fits_few_labels()
    {
        var reports = new List<(double L2, int Epoch)>();
        ProbeFit probe = LinearProbe.Fit(NoisyFewLabels(40, 1), NoisyFewLabels(400, 2), 2, seed: 3, new Compression.Core.Running.SynchronousProgress<(double L2, Compression.Models.Training.EpochReport Epoch)>(r => reports.Add((r.L2, r.Epoch.Epoch))), CancellationToken.None);

        Assert.Equal(LinearProbe.L2Strengths, reports.Select(r => r.L2).Distinct());
        Assert.All(LinearProbe.L2Strengths, l2 => Assert.Contains((l2, LinearProbe.Settings.Epochs), reports));
        Assert.True(probe.L2 > LinearProbe.L2Strengths[0], $"kept L2 {probe.L2}");
        Assert.True(probe.ValidationLoss < Math.Log(2), $"validation loss {probe.ValidationLoss} is no better than chance");
    }

    [Fact]
    public void Without_validation_rows_the_default_L2_is_used_once()
    {
        ProbeFit probe = LinearProbe.Fit(Blobs(90, 1), new LabelledData([], [6], []), 3, seed: 7, progress: null, CancellationToken.None);

        Assert.Equal(LinearProbe.DefaultL2, probe.L2);
        Assert.True(double.IsNaN(probe.ValidationLoss));
    }

    [Fact]
    public void The_kept_validation_loss_is_that_of_the_folded_head_on_raw_features()
    {
        LabelledData validation = Blobs(60, 3);
        ProbeFit probe = LinearProbe.Fit(Blobs(300, 1), validation, 3, seed: 7, progress: null, CancellationToken.None);

        float[] logits = [.. Enumerable.Range(0, validation.Count * 3).Select(k => (float)(probe.Bias[k % 3] + Enumerable.Range(0, 6).Sum(j => (double)probe.Weight[(k % 3 * 6) + j] * validation.Features[(k / 3 * 6) + j])))];
        double nll = Enumerable.Range(0, validation.Count).Average(i =>
        {
            double max = Enumerable.Range(0, 3).Max(c => (double)logits[(i * 3) + c]);
            return max + Math.Log(Enumerable.Range(0, 3).Sum(c => Math.Exp(logits[(i * 3) + c] - max))) - logits[(i * 3) + validation.Labels[i]];
        });
        Assert.Equal(nll, probe.ValidationLoss, 3);
    }
}
