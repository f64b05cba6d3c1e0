using Compression.Models.Statistics;
using Compression.Models.Training;
using Compression.Plugins.Distillation;

namespace Compression.Plugins.Tests.Distillation;

public class GainReportTests
{
    [Fact]
    public void Repeats_that_differ_by_one_sample_of_120_give_an_interval_that_contains_zero()
    {
        // The case: with repeats 3, every seed differed from scratch by the same single sample;
        // a t interval over seeds alone printed "+0.83 points (95% CI +0.83..+0.83, n=3)".
        bool[] scratchCorrect = Enumerable.Range(0, 120).Select(i => i % 3 != 0).ToArray();
        bool[] distilledCorrect = (bool[])scratchCorrect.Clone();
        distilledCorrect[0] = true;
        RunOutcome[] distilled = [.. Enumerable.Range(0, 3).Select(s => Run($"kd (seed {s})", distilledCorrect))];
        RunOutcome[] scratch = [.. Enumerable.Range(0, 3).Select(s => Run($"scratch (seed {s})", scratchCorrect))];

        GainInterval gain = GainReport.Interval(distilled, scratch, seed: 42);

        Assert.Equal(0.83, gain.Mean, tolerance: 0.01);
        Assert.True(gain.High - gain.Low > 1, $"expected the test samples' noise in the interval, got {gain}");
        Assert.True(gain.Low < 0, $"one sample of 120 is inside the noise, got {gain}");
        Assert.Equal(3, gain.N);
    }

    [Fact]
    public void The_summary_line_gives_the_gain_its_interval_and_the_gap_closed_only_outside_the_noise()
    {
        var clear = new GainInterval(2.345, 1.1, 3.6, 3, 0.95, GainMethod.PairedTOverSeeds);
        var noise = new GainInterval(0.4, -0.5, 1.3, 1, 0.95, GainMethod.PairedTOverSeeds);

        Assert.Equal("KD gain +2.35 points (95% CI +1.10..+3.60, n=3; over seeds and test samples); 41% of the scratch-to-teacher gap closed",
            GainReport.SummaryLine(clear, 0.41, repeats: 3));
        Assert.Equal("KD gain +0.40 points (95% CI -0.50..+1.30, n=1; bootstrap over test samples: evaluation noise only; inside the noise)",
            GainReport.SummaryLine(noise, 0.41, repeats: 1));
        Assert.Null(GainReport.SummaryLine(clear with { High = double.NaN }, 0.41, repeats: 3));
        Assert.EndsWith("; the distilled student passes its teacher", GainReport.SummaryLine(clear, 5.87, repeats: 3));
    }

    private static RunOutcome Run(string label, bool[] correct) =>
        new(label, new TrainingSummary(1, 0.1, 0.9, TimeSpan.Zero), correct.Count(c => c) / (double)correct.Length, correct);
}
