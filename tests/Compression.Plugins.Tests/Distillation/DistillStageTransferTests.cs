using System.Text.Json;
using Compression.Abstractions.Data;
using Compression.Abstractions.Distillation;
using Compression.Abstractions.Metrics;
using Compression.Abstractions.Stages;
using Compression.Data.Batching;
using Compression.Models;
using Compression.Models.Training;
using Compression.Plugins.Distillation;
using Microsoft.Extensions.DependencyInjection;
using static TorchSharp.torch;

namespace Compression.Plugins.Tests.Distillation;

/// <summary>The distill stage with unlabelled transfer data, repeats, "auto", online teachers and Born-Again generations.</summary>
public class DistillStageTransferTests
{
    private static DistillSettings Settings(Action<DistillSettings>? change = null)
    {
        var settings = new DistillSettings
        {
            Student = JsonDocument.Parse(StageHarness.StudentSpec).RootElement,
            Epochs = 2,
            BatchSize = 32,
            LearningRate = 0.01,
        };
        change?.Invoke(settings);
        return settings;
    }

    /// <summary>The harness's 400 train rows: the first 40 keep their labels, the other 360 become transfer data.</summary>
    private static DataSplits FewLabels(StageHarness harness)
    {
        LabelledData train = harness.Data.Train;
        int size = train.SampleSize;
        var labelled = new LabelledData(train.Features[..(40 * size)], train.SampleShape, train.Labels[..40]);
        var transfer = new LabelledData(train.Features[(40 * size)..], train.SampleShape, Enumerable.Repeat(LabelledData.NoLabel, 360).ToArray());
        return harness.Data with { Train = labelled, Transfer = transfer };
    }

    [Fact]
    public async Task Transfer_rows_are_distilled_and_scratch_gets_the_labelled_rows_for_as_many_steps()
    {
        using var harness = new StageHarness();
        var services = StageHarness.Services(s => s.AddSingleton<IDistillationMethod, HintonKdMethod>());
        StageResult result = await new DistillStage().RunAsync(harness.Context(FewLabels(harness), services), Settings(s => s.Repeats = 2), CancellationToken.None);
        DescribedMetrics.AssertEveryReportedMetricWasDescribed(new DistillStage(), Settings(s => s.Repeats = 2), result);
        Assert.StartsWith("KD gain ", result.SummaryNote, StringComparison.Ordinal);

        var metrics = result.Metrics.ToDictionary(m => m.Name, m => m.Value);
        Assert.Equal(400, metrics["distill.training_rows"]);
        Assert.Equal(40, metrics["distill.labelled_rows"]);
        Assert.Equal(2, metrics[MetricNames.DistillationGainRepeats]);
        Assert.True(metrics[MetricNames.DistillationGainLowPoints] <= metrics[MetricNames.DistillationGainPoints]);
        Assert.True(metrics[MetricNames.DistillationGainPoints] <= metrics[MetricNames.DistillationGainHighPoints]);
        // 400 rows in batches of 32 are 13 steps an epoch, 26 in all; scratch on 40 rows gets 26 steps too (13 epochs of 2).
        Assert.Contains("| kd T=4 alpha=0.9 (seed 11) | 2 | 26 |", result.ReportMarkdown);
        Assert.Contains("| scratch (seed 11) | 13 | 26 |", result.ReportMarkdown);
        Assert.Contains("| scratch (seed 12) | 13 | 26 |", result.ReportMarkdown);
        Assert.Contains("The interval adds the spread of the 2 seeds to the noise of the test samples", result.ReportMarkdown);
    }

    [Fact]
    public async Task Auto_never_chooses_a_student_worse_on_validation_than_scratch()
    {
        using var harness = new StageHarness(noise: 8);
        var services = StageHarness.Services(s =>
        {
            s.AddSingleton<IDistillationMethod, HintonKdMethod>();
            s.AddSingleton<IDistillationMethod, MultiTeacherKdMethod>();
        });
        var settings = Settings(s =>
        {
            s.Method = "auto";
            s.Search = new SearchSettings { Methods = ["kd", "multi-teacher"], Temperatures = [1, 4], Alphas = [0.5], MaxTrials = 3 };
        });
        StageResult result = await new DistillStage().RunAsync(harness.Context(FewLabels(harness), services), settings, CancellationToken.None);

        var metrics = result.Metrics.ToDictionary(m => m.Name, m => m.Value);
        Assert.True(metrics["distill.validation_accuracy"] >= metrics["distill.auto.scratch_validation_accuracy"]);
        Assert.Contains("| kd T=1 alpha=0.5 |", result.ReportMarkdown);
        Assert.Contains("| kd T=4 alpha=0.5 |", result.ReportMarkdown);
        Assert.Contains("| multi-teacher T=1 alpha=0.5 |", result.ReportMarkdown);
        Assert.DoesNotContain("| multi-teacher T=4 alpha=0.5 |", result.ReportMarkdown);
        Assert.Contains("| scratch |", result.ReportMarkdown);
        Assert.Single(result.ReportMarkdown!.Split('\n'), line => line.EndsWith("| yes |", StringComparison.Ordinal));
    }

    [Fact]
    public void Auto_with_an_unknown_method_in_the_search_is_reported_at_its_index()
    {
        var services = StageHarness.Services(s => s.AddSingleton<IDistillationMethod, HintonKdMethod>());
        var settings = Settings(s =>
        {
            s.Method = "auto";
            s.Search = new SearchSettings { Methods = ["kd", "nope"] };
        });
        SettingsError error = Assert.Single(new DistillStage().Validate(settings, services));
        Assert.Equal("search.methods[1]", error.Path);
    }

    [Fact]
    public async Task Online_teacher_logits_equal_offline_logits_without_augmentation()
    {
        using var harness = new StageHarness();
        var offline = new RecordingMethod();
        var online = new RecordingMethod();
        await new DistillStage().RunAsync(harness.Context(StageHarness.Services(s => s.AddSingleton<IDistillationMethod>(offline)), []), Settings(s => s.Method = "record"), CancellationToken.None);
        await new DistillStage().RunAsync(harness.Context(StageHarness.Services(s => s.AddSingleton<IDistillationMethod>(online)), []), Settings(s =>
        {
            s.Method = "record";
            s.TeacherMode = "online";
        }), CancellationToken.None);

        Assert.Equal(offline.TeacherLogits.Count, online.TeacherLogits.Count);
        for (int i = 0; i < offline.TeacherLogits.Count; i++)
        {
            Assert.Equal(offline.TeacherLogits[i].Length, online.TeacherLogits[i].Length);
            Assert.All(offline.TeacherLogits[i].Zip(online.TeacherLogits[i]), p => Assert.Equal(p.First, p.Second, 1e-4f));
        }
    }

    [Fact]
    public async Task A_born_again_generation_learns_from_the_previous_generations_student()
    {
        using var harness = new StageHarness();
        var kd = StageHarness.Services(s => s.AddSingleton<IDistillationMethod, HintonKdMethod>());
        StageResult first = await new DistillStage().RunAsync(harness.Context(kd, []), Settings(), CancellationToken.None);
        using SequentialModel generationOne = TorchModelArtifact.Load(first.Artifacts[0].Path);
        float[] expected = ModelEvaluator.Logits(generationOne, harness.Data.Train);

        var recorder = new RecordingMethod();
        StageResult second = await new DistillStage().RunAsync(
            harness.Context(StageHarness.Services(s => s.AddSingleton<IDistillationMethod>(recorder)), []),
            Settings(s =>
            {
                s.Method = "record";
                s.Generations = 2;
            }),
            CancellationToken.None);

        // Generation 2's batches carry generation 1's logits for their rows; generation 1's carry the teacher's.
        float[] teacher = await harness.Teacher.GetLogitsAsync(DataSplit.Train, CancellationToken.None);
        // Both generations visit the rows in the same seeded order: 2 epochs of batches of 32.
        var generationTwoRows = Enumerable.Range(0, 2).SelectMany(epoch => Batches.Shuffled(400, 32, 11, epoch)).Select(b => b.ToArray()).ToList();
        Assert.Equal(generationTwoRows.Count * 2, recorder.TeacherLogits.Count);
        var generationTwoLogits = recorder.TeacherLogits.Skip(recorder.TeacherLogits.Count / 2).ToList();
        int checkedRows = 0;
        for (int b = 0; b < generationTwoRows.Count; b++)
        {
            for (int r = 0; r < generationTwoRows[b].Length; r++)
            {
                for (int c = 0; c < 3; c++)
                {
                    Assert.Equal(expected[(generationTwoRows[b][r] * 3) + c], generationTwoLogits[b][(r * 3) + c], 1e-3f);
                }
                checkedRows++;
            }
        }
        Assert.Equal(2 * 400, checkedRows);
        Assert.NotEqual(teacher[..3], generationTwoLogits[0][..3]);
        Assert.Contains("gen 1 (seed 11)", second.ReportMarkdown);
        Assert.Contains("gen 2 (seed 11)", second.ReportMarkdown);
    }

    /// <summary>KD that records the teacher logits it was given.</summary>
    private sealed class RecordingMethod : IDistillationMethod
    {
        public List<float[]> TeacherLogits { get; } = [];

        public string Name => "record";

        public string Description => "records teacher logits";

        public IReadOnlyList<SettingsError> Validate(DistillationOptions options) => [];

        public Tensor Loss(DistillationBatch batch, DistillationOptions options)
        {
            TeacherLogits.Add(batch.TeacherLogits.contiguous().data<float>().ToArray());
            return new HintonKdMethod().Loss(batch, options);
        }
    }
}
