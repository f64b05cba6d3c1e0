using System.Text.Json;
using Compression.Abstractions.Distillation;
using Compression.Abstractions.Stages;
using Compression.Models.Tests.Training;
using Compression.Plugins.Distillation;
using Compression.Plugins.Distillation.Augmentation;
using Microsoft.Extensions.DependencyInjection;

namespace Compression.Plugins.Tests.Distillation;

/// <summary>
/// Issue 12's intermittent "Unknown scalar type": TorchSharp frees an implicitly converted scalar in
/// its finalizer, so a garbage collection during the native call that reads it crashed training. The
/// distill stage (every built-in method, augmentation, an online teacher and the scratch baseline) runs
/// here while another thread forces collections without pause; before the fix this failed within
/// a few hundred steps.
/// </summary>
public class GarbageCollectionRaceTests
{
    [Theory]
    [InlineData("kd")]
    [InlineData("dkd")]
    [InlineData("multi-teacher")]
    public async Task Distilling_survives_garbage_collections_at_any_moment(string method)
    {
        using var harness = new StageHarness();
        var services = StageHarness.Services(s =>
        {
            s.AddSingleton<IDistillationMethod, HintonKdMethod>();
            s.AddSingleton<IDistillationMethod, DecoupledKdMethod>();
            s.AddSingleton<IDistillationMethod, MultiTeacherKdMethod>();
        });
        var settings = new DistillSettings
        {
            Student = JsonDocument.Parse(StageHarness.StudentSpec).RootElement,
            Method = method,
            Epochs = 10,
            BatchSize = 16,
            LearningRate = 0.01,
            WeightDecay = 0.001,
            CompareWithScratch = true,
            TeacherMode = "online",
            Augment = new AugmentSettings { Noise = 0.1, Mixup = 0.4 },
        };
        using var pressure = new CollectionPressure();
        StageResult result = await new DistillStage().RunAsync(harness.Context(services), settings, CancellationToken.None);
        Assert.Contains(result.Metrics, m => m.Name == "distill.student_test_accuracy" && m.Value > 0.5);
    }
}
