using System.Text.Json;
using Compression.Abstractions.Distillation;
using Compression.Plugins.Distillation;
using Microsoft.Extensions.DependencyInjection;

namespace Compression.Plugins.Tests.Distillation.TinyBert;

/// <summary>"method": "tinybert" is checked against the student spec before anything runs.</summary>
public sealed class TinyBertSettingsTests
{
    private static readonly IServiceProvider s_services = StageHarness.Services(s => s.AddSingleton<IDistillationMethod, HintonKdMethod>());

    private static string Student(string secondName) => $$"""
        {"input": [2, 8], "layers": [
          {"type": "token-embedding", "vocabulary": 50, "hidden": 16, "maxPositions": 8},
          {"type": "encoder", "name": "enc1", "heads": 2, "hidden": 16, "intermediate": 32},
          {"type": "encoder"{{secondName}}, "heads": 2, "hidden": 16, "intermediate": 32},
          {"type": "mean-pool"}]}
        """;

    [Fact]
    public void Named_encoders_and_the_layer_weights_pass()
    {
        var settings = Settings(Student(", \"name\": \"enc2\""), new() { ["hidden"] = 1, ["attention"] = 0.5, ["cosine"] = 1 });
        settings.LayerMap = [1, 3];

        Assert.Empty(new DistillStage().Validate(settings, s_services));
    }

    [Fact]
    public void An_unnamed_encoder_is_an_error_at_its_name()
    {
        var error = Assert.Single(new DistillStage().Validate(Settings(Student(""), []), s_services));

        Assert.Equal("student.layers[2].name", error.Path);
    }

    [Fact]
    public void A_layer_map_of_another_length_and_a_map_without_tinybert_are_errors_at_layerMap()
    {
        var tiny = Settings(Student(", \"name\": \"enc2\""), []);
        tiny.LayerMap = [1, 3, 5];
        var embedding = Settings(Student(", \"name\": \"enc2\""), []);
        embedding.Method = "embedding";
        embedding.LayerMap = [1, 3];

        Assert.Equal("layerMap", Assert.Single(new DistillStage().Validate(tiny, s_services)).Path);
        Assert.Equal("layerMap", Assert.Single(new DistillStage().Validate(embedding, s_services)).Path);
    }

    [Fact]
    public void The_layer_weights_are_not_parameters_of_the_plain_embedding_method()
    {
        var settings = Settings(Student(", \"name\": \"enc2\""), new() { ["hidden"] = 1 });
        settings.Method = "embedding";

        Assert.Equal("methodParameters.hidden", Assert.Single(new DistillStage().Validate(settings, s_services)).Path);
    }

    private static DistillSettings Settings(string student, Dictionary<string, double> parameters) => new()
    {
        Student = JsonDocument.Parse(student).RootElement,
        Method = "tinybert",
        MethodParameters = parameters,
        Epochs = 1,
    };
}
