using Compression.Core.Config;
using Compression.Core.Diagnostics;

namespace Compression.Core.Tests.Config;

public partial class ConfigLoaderTests
{
    private static CompressionException LoadFails(string json)
    {
        using var folder = new TempFolder();
        string path = folder.Write("compression.json", json);
        return Assert.Throws<CompressionException>(() => ConfigLoader.Load(path));
    }

    [Fact]
    public void A_misspelled_field_is_an_error_with_a_suggestion_and_its_line()
    {
        var error = LoadFails("""
            {
              "seed": 1,
              "budgets": { "minAccuracyRetension": 0.98 }
            }
            """);
        var finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.UnknownField, finding.Code);
        Assert.Contains("did you mean 'minAccuracyRetention'", finding.Message);
        Assert.Equal((3, 16), (finding.Location!.Line, finding.Location.Column));
    }

    [Theory]
    [InlineData("0", "got 0")]
    [InlineData("-1", "got -1")]
    [InlineData("1e400", "got Infinity")]
    public void A_teacher_weight_that_is_not_finite_and_positive_is_CMP1004_at_that_teachers_weight(string weight, string got)
    {
        var error = LoadFails($$"""
            {
              "teachers": [
                { "onnx": "a.onnx", "weight": 1 },
                { "onnx": "b.onnx", "weight": {{weight}} }
              ]
            }
            """);
        var finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.InvalidValue, finding.Code);
        Assert.Equal($"'teachers[1].weight': must be between 1e-9 and 1e9, {got}", finding.Message);
        Assert.Equal((4, 35), (finding.Location!.Line, finding.Location.Column));
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_the_path_and_the_expected_type()
    {
        var error = LoadFails("""{ "seed": "forty-two" }""");
        var finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.InvalidValue, finding.Code);
        Assert.Equal("'seed' has the wrong type: expected a whole number", finding.Message);
        Assert.Equal(1, finding.Location!.Line);
        Assert.Equal(11, finding.Location.Column);
    }

    [Fact]
    public void Out_of_range_values_are_reported_with_what_was_found()
    {
        var error = LoadFails("""
            {
              "data": { "validationFraction": 1.5 }
            }
            """);
        var finding = Assert.Single(error.Findings);
        Assert.Equal("'data.validationFraction': must be in (0, 0.9]: the validation split chooses among candidates and fits calibration, so it cannot be empty, got 1.5", finding.Message);
        Assert.Equal(2, finding.Location!.Line);
    }

    [Fact]
    public void A_labeled_fraction_of_zero_is_out_of_its_open_range()
    {
        var error = LoadFails("""
            {
              "data": { "labeledFraction": 0 }
            }
            """);
        var finding = Assert.Single(error.Findings);
        Assert.Equal("'data.labeledFraction': must be in (0, 1], got 0", finding.Message);
        Assert.Equal(2, finding.Location!.Line);
    }

    [Fact]
    public void Every_unknown_field_is_reported_at_once()
    {
        var error = LoadFails("""{ "sed": 1, "stags": [] }""");
        Assert.Equal(2, error.Findings.Count);
    }

    [Fact]
    public void Invalid_json_reports_the_position_of_the_syntax_error()
    {
        var error = LoadFails("{\n  \"seed\": 1,\n  \"stages\": [,]\n}");
        var finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.ConfigSyntax, finding.Code);
        Assert.Equal(3, finding.Location!.Line);
    }

    [Fact]
    public void A_missing_file_is_CMP1001()
    {
        var error = Assert.Throws<CompressionException>(() => ConfigLoader.Load("/nonexistent/compression.json"));
        Assert.Equal(ErrorCodes.ConfigNotFound, error.Findings[0].Code);
    }

    [Fact]
    public void Defaults_apply_to_omitted_fields_and_comments_are_allowed()
    {
        using var folder = new TempFolder();
        string path = folder.Write("compression.json", """
            {
              // a comment
              "budgets": { "minAccuracyRetention": 0.97 },
            }
            """);
        var loaded = ConfigLoader.Load(path);
        Assert.Equal(42, loaded.Config.Seed);
        Assert.Equal(0.97, loaded.Config.Budgets.MinAccuracyRetention);
        Assert.Equal(1, loaded.Config.Budgets.LatencyBatchSize);
    }

    /// <summary>
    /// Issue 12: a one-line config of megabytes is located exactly (here about 0.8 MB, most of it
    /// two-byte characters, under the 1 MiB limit of issue 16), for a syntax error at its end as for a binding error: columns count characters.
    /// </summary>
    [Theory]
    [InlineData("\"seed\": }", "}", ErrorCodes.ConfigSyntax)]
    [InlineData("\"seeed\": 1}", "\"seeed\"", ErrorCodes.UnknownField)]
    public void A_multi_megabyte_single_line_config_is_located_in_characters(string tail, string at, string code)
    {
        var json = new System.Text.StringBuilder("{\"plugins\": [");
        for (int i = 0; i < 110_000; i++)
        {
            json.Append("\"éé\",");
        }
        json.Append("\"last\"], ").Append(tail);
        string text = json.ToString();

        var error = LoadFails(text);

        Finding finding = error.Findings.First(f => f.Code == code);
        Assert.Equal((1, text.LastIndexOf(at, StringComparison.Ordinal) + 1), (finding.Location!.Line, finding.Location.Column));
    }
}
