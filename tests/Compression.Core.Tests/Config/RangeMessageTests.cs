using System.Reflection;
using Compression.Core.Config;
using Compression.Models.Training;

namespace Compression.Core.Tests.Config;

/// <summary>Every range error states the range it enforces (see <see cref="RangeMessages"/>).</summary>
public class RangeMessageTests
{
    public static TheoryData<string> Assemblies() => [typeof(CompressionConfig).Assembly.Location, typeof(TrainingSettings).Assembly.Location];

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Every_range_message_states_both_bounds_exactly(string assemblyPath)
    {
        var ranges = RangeMessages.Check(Assembly.LoadFrom(assemblyPath)).ToList();

        Assert.NotEmpty(ranges);
        Assert.Empty(ranges.Where(r => r.Problem.Length > 0).Select(r => $"{r.Property}: {r.Problem}"));
    }

    [Fact]
    public void The_check_refuses_a_tiny_minimum_stated_as_zero_and_a_bracket_that_disagrees_with_the_bound()
    {
        var problems = RangeMessages.Check(typeof(RangeMessageTests).Assembly).ToDictionary(r => r.Property, r => r.Problem);

        Assert.Equal("'must be in (0, 10]' does not state the range [1E-09, 10]", problems["Misstated.TinyMinimum"]);
        Assert.Equal("'must be in [0, 1]' opens with '[' but the minimum is exclusive", problems["Misstated.OpenMinimum"]);
        Assert.Equal("", problems["Misstated.Stated"]);
    }

    private sealed class Misstated
    {
        [System.ComponentModel.DataAnnotations.Range(1e-9, 10.0, ErrorMessage = "must be in (0, 10]")]
        public double TinyMinimum { get; set; }

        [System.ComponentModel.DataAnnotations.Range(0.0, 1.0, MinimumIsExclusive = true, ErrorMessage = "must be in [0, 1]")]
        public double OpenMinimum { get; set; }

        [System.ComponentModel.DataAnnotations.Range(1e-9, 10.0, ErrorMessage = "must be between 1e-9 and 10")]
        public double Stated { get; set; }
    }
}
