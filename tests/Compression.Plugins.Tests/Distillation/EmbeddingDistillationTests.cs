using System.Text.Json;
using Compression.Abstractions.Distillation;
using Compression.Abstractions.Stages;
using Compression.Plugins.Distillation;
using Microsoft.Extensions.DependencyInjection;

namespace Compression.Plugins.Tests.Distillation;

/// <summary>The distill stage's "embedding" method: its settings are checked before anything runs, and it refuses the classification task.</summary>
public sealed class EmbeddingDistillationTests
{
    private static readonly IServiceProvider s_services = StageHarness.Services(s => s.AddSingleton<IDistillationMethod, HintonKdMethod>());

    [Fact]
    public void Unknown_or_negative_weights_both_zero_and_classification_only_settings_are_settings_errors()
    {
        var unknown = Settings(new() { ["temperature"] = 2 });
        var negative = Settings(new() { ["mse"] = -1 });
        var zero = Settings(new() { ["cosine"] = 0 });
        var online = Settings([]);
        online.TeacherMode = "online";
        var scratch = Settings([]);
        scratch.CompareWithScratch = true;

        Assert.Equal("methodParameters.temperature", Assert.Single(new DistillStage().Validate(unknown, s_services)).Path);
        Assert.Equal("methodParameters.mse", Assert.Single(new DistillStage().Validate(negative, s_services)).Path);
        Assert.Equal("methodParameters", Assert.Single(new DistillStage().Validate(zero, s_services)).Path);
        Assert.Equal("teacherMode", Assert.Single(new DistillStage().Validate(online, s_services)).Path);
        Assert.Equal("compareWithScratch", Assert.Single(new DistillStage().Validate(scratch, s_services)).Path);
        Assert.Empty(new DistillStage().Validate(Settings(new() { ["cosine"] = 1, ["mse"] = 0.5 }), s_services));
    }

    [Fact]
    public async Task The_embedding_method_under_the_classification_task_is_bad_input_at_the_method()
    {
        using var harness = new StageHarness();

        var error = await Assert.ThrowsAsync<StageException>(() => new DistillStage().RunAsync(harness.Context(s_services), Settings([]), CancellationToken.None));

        Assert.Equal("method", error.SettingsPath);
        Assert.StartsWith("\"method\": \"embedding\" distils a sentence encoder's embeddings, but the task is \"classification\"", error.Message);
    }

    private static DistillSettings Settings(Dictionary<string, double> parameters) => new()
    {
        Student = JsonDocument.Parse(StageHarness.StudentSpec).RootElement,
        Method = "embedding",
        MethodParameters = parameters,
        Epochs = 1,
    };
}
