using System.Text;
using System.Text.Json;
using Compression.Core.AppModel;
using Compression.Core.Config;
using Compression.Core.Diagnostics;

namespace Compression.Core.Tests.AppModel;

public class InputContractTests
{
    private static InputContract Parse(string inputJson)
    {
        string json = $$"""{ "model": { "input": {{inputJson}} } }""";
        var config = JsonSerializer.Deserialize<ModelInputConfig>(inputJson, new JsonSerializerOptions { PropertyNameCaseInsensitive = true });
        return InputContract.Parse(config, JsonLocationIndex.Build("c.json", Encoding.UTF8.GetBytes(json)));
    }

    private static IReadOnlyList<Finding> Problems(string inputJson) =>
        Assert.Throws<CompressionException>(() => Parse(inputJson)).Findings;

    [Fact]
    public void Imagenet_statistics_per_channel_give_the_formula_for_every_feature_of_an_nchw_sample()
    {
        InputContract contract = Parse("""{ "layout": "NCHW", "channels": 3, "size": [2, 2], "scale": 0.00392156862745098, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225] }""");
        Assert.Equal([3, 2, 2], contract.SampleShape);
        float[] raw = [.. Enumerable.Range(0, 12).Select(i => (float)(i * 20))];
        float[] normalized = raw.ToArray();
        contract.Normalization.Apply(normalized);
        double[] mean = [0.485, 0.456, 0.406];
        double[] std = [0.229, 0.224, 0.225];
        for (int f = 0; f < 12; f++)
        {
            int channel = f / 4; // channels first: four pixels per channel
            double expected = ((raw[f] / 255.0) - mean[channel]) / std[channel];
            Assert.Equal(expected, normalized[f], 5);
        }
    }

    [Fact]
    public void Nhwc_channels_are_the_fastest_moving_index()
    {
        InputContract contract = Parse("""{ "layout": "nhwc", "channels": 3, "size": [1, 2], "mean": [10, 20, 30], "std": [2] }""");
        Assert.Equal("NHWC", contract.Layout);
        Assert.Equal([1, 2, 3], contract.SampleShape);
        float[] values = [10, 20, 30, 12, 24, 36];
        contract.Normalization.Apply(values);
        Assert.Equal([0f, 0f, 0f, 1f, 2f, 3f], values);
    }

    [Fact]
    public void Without_statistics_the_normalisation_is_a_scale_or_nothing()
    {
        Assert.Equal("none", Parse("""{ "layout": "NCHW", "channels": 1, "size": [28, 28] }""").Normalization.Kind);
        var scaled = Parse("""{ "layout": "NC", "features": 4, "scale": 0.5 }""").Normalization;
        Assert.Equal("scale", scaled.Kind);
        Assert.Equal(0.5f, scaled.Scale);
    }

    [Fact]
    public void The_description_says_what_the_shipped_model_takes()
    {
        string text = Parse("""{ "layout": "NCHW", "channels": 1, "size": [28, 28], "scale": 0.5, "mean": [0.1], "std": [0.3] }""").Describe();
        Assert.Contains("NCHW 1x28x28", text);
        Assert.Contains("(x * 0.5 - 0.1) / 0.3 per channel", text);
    }

    [Fact]
    public void Every_bad_field_is_reported_at_its_value()
    {
        var problems = Problems("""{ "layout": "NCHW", "channels": 0, "size": [28], "scale": 0, "mean": [1, 2], "std": [-1] }""");
        Assert.Equal(
            ["model.input.channels", "model.input.size", "model.input.scale", "model.input.mean", "model.input.std"],
            problems.Select(p => p.Message.Split('\'')[1]));
        Assert.All(problems, p => Assert.Equal(ErrorCodes.InvalidValue, p.Code));
        Assert.All(problems, p => Assert.Equal(1, p.Location!.Line));
    }

    [Fact]
    public void A_missing_layout_and_a_wrong_number_of_means_are_named()
    {
        Assert.Equal(ErrorCodes.MissingField, Assert.Single(Problems("""{ "channels": 1, "size": [2, 2] }""")).Code);
        Finding mean = Assert.Single(Problems("""{ "layout": "NCHW", "channels": 3, "size": [2, 2], "mean": [1, 2] }"""));
        Assert.Equal("'model.input.mean' must give one value or one per channel (3), not 2", mean.Message);
        Finding layout = Assert.Single(Problems("""{ "layout": "CHW", "channels": 3, "size": [2, 2] }"""));
        Assert.Contains("not \"CHW\"", layout.Message);
    }

    [Fact]
    public void No_input_at_all_says_what_to_declare()
    {
        var index = JsonLocationIndex.Build("c.json", Encoding.UTF8.GetBytes("""{ "model": { "onnx": "m.onnx" } }"""));
        Finding finding = Assert.Single(Assert.Throws<CompressionException>(() => InputContract.Parse(null, index)).Findings);
        Assert.Equal(ErrorCodes.MissingField, finding.Code);
        Assert.Contains("'model' needs \"input\"", finding.Message);
    }
}
