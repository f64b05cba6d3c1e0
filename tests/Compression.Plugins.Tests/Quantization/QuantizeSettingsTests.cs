using System.ComponentModel.DataAnnotations;
using Compression.Plugins.Quantization;

namespace Compression.Plugins.Tests.Quantization;

public class QuantizeSettingsTests
{
    private static List<ValidationResult> Validate(QuantizeSettings settings)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true);
        return results;
    }

    [Fact]
    public void Bias_correction_is_off_and_float_ranking_weighs_latency_by_default()
    {
        var settings = new QuantizeSettings();

        Assert.False(settings.BiasCorrection);
        Assert.Equal("errorPerLatency", settings.FloatRanking);
        Assert.Empty(Validate(settings));
    }

    [Theory]
    [InlineData("errorPerLatency", true)]
    [InlineData("error", true)]
    [InlineData("latency", false)]
    [InlineData("ErrorPerLatency", false)]
    public void Float_ranking_accepts_its_two_values_and_names_them_otherwise(string value, bool valid)
    {
        var results = Validate(new QuantizeSettings { FloatRanking = value });

        if (valid)
        {
            Assert.Empty(results);
            return;
        }
        var result = Assert.Single(results);
        Assert.Equal(["FloatRanking"], result.MemberNames);
        Assert.Equal("must be \"errorPerLatency\" or \"error\"", result.ErrorMessage);
    }
}
