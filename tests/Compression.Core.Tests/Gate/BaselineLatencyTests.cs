using Compression.Core.Gate;
using Compression.Models.Statistics;
using Compression.Tests.Shared;

namespace Compression.Core.Tests.Gate;

/// <summary>
/// The latency verdict against the baseline's own model, timed side by side, with two CPU-bound
/// processes beside the test as on a loaded CI runner: the same model is not a regression, a model
/// with 16x the compute is. No wall-clock time is asserted, only verdicts on ratios.
/// </summary>
public class BaselineLatencyTests
{
    [Fact]
    public void The_same_model_timed_beside_its_copy_is_not_a_regression_while_two_busy_processes_load_the_machine()
    {
        using var folder = new TempFolder();
        string baseline = MlpModels.Write(Path.Combine(folder.Path, "baseline.onnx"), hidden: 64);
        // Same weights and graph, another producer: a different file (hash) with the same compute.
        string student = MlpModels.Write(Path.Combine(folder.Path, "student.onnx"), hidden: 64, producer: "rebuilt");
        using var busy = BusyLoops.Start(2);

        LatencyDelta delta = BaselineLatency.Compare(baseline, student, batch: 64, tolerance: 0.5, confidence: 0.95, seed: 1, CancellationToken.None);

        Assert.NotEqual(LatencyVerdict.Regressed, delta.Verdict);
        Assert.InRange(delta.Change.Mean, 1 / 1.5, 1.5);
        Assert.True(delta.Change.N >= BaselineLatency.MinRounds);
        Assert.Equal(GainMethod.PairedTOverInterleavedRounds, delta.Change.Method);
    }

    [Fact]
    public void A_student_with_16x_the_compute_is_a_regression_while_two_busy_processes_load_the_machine()
    {
        using var folder = new TempFolder();
        string baseline = MlpModels.Write(Path.Combine(folder.Path, "baseline.onnx"), hidden: 64);
        string slower = MlpModels.Write(Path.Combine(folder.Path, "slower.onnx"), hidden: 1024);
        using var busy = BusyLoops.Start(2);

        LatencyDelta delta = BaselineLatency.Compare(baseline, slower, batch: 64, tolerance: 0.5, confidence: 0.95, seed: 1, CancellationToken.None);

        Assert.Equal(LatencyVerdict.Regressed, delta.Verdict);
        Assert.True(delta.Change.Low > 1.5, delta.Change.Describe("x"));
        Assert.True(delta.CurrentMs > delta.BaselineMs);
    }

    [Theory]
    [InlineData(1.6, 1.7, LatencyVerdict.Regressed)]
    [InlineData(0.9, 1.5, LatencyVerdict.Passed)]
    [InlineData(1.4, 1.6, LatencyVerdict.Inconclusive)]
    public void The_verdict_is_where_the_interval_lies_against_one_plus_the_tolerance(double low, double high, LatencyVerdict expected)
    {
        var change = new GainInterval((low + high) / 2, low, high, 8, 0.95, GainMethod.PairedTOverInterleavedRounds);
        Assert.Equal(expected, BaselineLatency.Judge(change, tolerance: 0.5));
    }

    [Fact]
    public void The_ratio_interval_is_exp_of_the_paired_t_interval_on_log_times()
    {
        double[] baseline = [Math.Log(1.0), Math.Log(1.1), Math.Log(0.9), Math.Log(1.0)];
        double[] current = [Math.Log(2.0), Math.Log(2.3), Math.Log(1.7), Math.Log(2.1)];

        GainInterval ratio = BaselineLatency.Ratio(current, baseline, 0.95);
        GainInterval logs = PairedInterval.OverRepeats(current, baseline, 0.95);

        Assert.Equal(Math.Exp(logs.Mean), ratio.Mean, 12);
        Assert.Equal((Math.Exp(logs.Low), Math.Exp(logs.High)), (ratio.Low, ratio.High));
        Assert.True(ratio.Low < ratio.Mean && ratio.Mean < ratio.High);
    }
}
