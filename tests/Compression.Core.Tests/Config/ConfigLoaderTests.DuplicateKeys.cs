using Compression.Core.Config;
using Compression.Core.Diagnostics;

namespace Compression.Core.Tests.Config;

/// <summary>Issue 16: a key given twice in one object is an error, not "the last one wins".</summary>
public partial class ConfigLoaderTests
{
    [Fact]
    public void A_top_level_key_twice_is_an_error_at_the_second_naming_the_first_line()
    {
        var error = LoadFails("""
            {
              "seed": 1,
              "seed": 2
            }
            """);

        Finding finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.DuplicateKey, finding.Code);
        Assert.Equal("'seed' appears twice in the same object (first at line 2): JSON readers keep only one of them silently; remove the other \"seed\"", finding.Message);
        Assert.Equal((3, 3), (finding.Location!.Line, finding.Location.Column));
    }

    [Fact]
    public void Keys_twice_in_stage_settings_and_in_a_model_spec_are_each_reported()
    {
        var error = LoadFails("""
            {
              "teacher": { "model": { "input": [4], "layers": [ { "type": "linear", "out": 4,
                                                                  "out": 8 } ] } },
              "stages": [
                { "stage": "distill", "settings": { "epochs": 2,
                                                    "epochs": 5 } }
              ]
            }
            """);

        Assert.All(error.Findings, f => Assert.Equal(ErrorCodes.DuplicateKey, f.Code));
        Assert.Equal(["teacher.model.layers[0].out", "stages[0].settings.epochs"], error.Findings.Select(f => f.Message.Split('\'')[1]));
        Assert.Equal([(3, 55), (6, 41)], error.Findings.Select(f => (f.Location!.Line, f.Location.Column)));
        Assert.Contains("first at line 5", error.Findings[1].Message);
    }

    [Fact]
    public void A_whole_section_twice_is_reported_once_not_for_every_key_inside()
    {
        var error = LoadFails("""
            { "budgets": { "minAccuracyRetention": 0.9, "maxModelBytes": 10 },
              "budgets": { "minAccuracyRetention": 0.9, "maxModelBytes": 10 } }
            """);

        Assert.Equal("budgets", Assert.Single(error.Findings).Message.Split('\'')[1]);
    }

    [Fact]
    public void The_same_key_in_different_objects_is_fine()
    {
        using var folder = new TempFolder();
        string path = folder.Write("compression.json", """{ "seed": 3, "budgets": { "minAccuracyRetention": 0.9 }, "data": { "validationFraction": 0.1 } }""");
        try
        {
            ConfigLoader.Load(path);
        }
        catch (CompressionException ex)
        {
            Assert.DoesNotContain(ex.Findings, f => f.Code == ErrorCodes.DuplicateKey);
        }
    }
}
