using Compression.Core.Tests.Config;
using Compression.Plugins.Benchmark;
using Compression.Plugins.Calibration;
using Compression.Plugins.Distillation;
using Compression.Plugins.Export;
using Compression.Plugins.Pruning;
using Compression.Plugins.Quantization;

namespace Compression.Plugins.Tests.Settings;

public sealed class RangeMessageTests
{
    [Fact]
    public void Every_range_of_a_first_party_stage_setting_states_its_real_bounds()
    {
        var checkedRanges = RangeMessages.Check(
            typeof(DistillSettings).Assembly,
            typeof(ExportSettings).Assembly,
            typeof(BenchmarkSettings).Assembly,
            typeof(CalibrationSettings).Assembly,
            typeof(QuantizeSettings).Assembly,
            typeof(PruneSettings).Assembly).ToList();

        Assert.Contains(checkedRanges, r => r.Property == "DistillSettings.Temperature");
        Assert.Contains(checkedRanges, r => r.Property == "ExportSettings.Tolerance");
        Assert.Contains(checkedRanges, r => r.Property == "PruneSettings.TargetFlopsRatio");
        Assert.Empty(checkedRanges.Where(r => r.Problem.Length > 0).Select(r => $"{r.Property}: {r.Problem}"));
    }
}
