using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Stages;
using Compression.Onnx;
using Compression.Plugins.Quantization;

namespace Compression.Plugins.Tests.Quantization;

/// <summary>The quantize stage under the embedding task: a transformer sentence encoder, compared with its int8 self by retrieval and cosine.</summary>
public sealed class QuantizeStageEmbeddingTests
{
    private static StageContext EmbeddingContext(StageHarness harness, string fp32)
    {
        harness.TaskName = "embedding";
        return harness.Context(TextEmbeddingModels.Data(pairs: 40, seed: 4), StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, fp32));
    }

    [Theory]
    [InlineData("dynamic")]
    [InlineData("static")]
    public async Task Int8_embeddings_are_compared_with_fp32_by_cosine_and_recall_and_timed_per_sequence_length(string mode)
    {
        using var harness = new StageHarness();
        string fp32 = TextEmbeddingModels.Export(harness.Folder);
        var settings = new QuantizeSettings { Mode = mode, CalibrationBatches = 2, BatchSize = 32, SequenceLengths = [8], ShipInt8 = "always" };

        var result = await new QuantizeStage().RunAsync(EmbeddingContext(harness, fp32), settings, CancellationToken.None);

        var metrics = result.Metrics.ToDictionary(m => m.Name, m => m.Value);
        Assert.InRange(metrics[QuantizeMetrics.Int8CosineToFp32], 0.95, 1.0 + 1e-6);
        Assert.InRange(metrics[QuantizeMetrics.Int8RecallAt10], 0, 1);
        Assert.Equal((metrics["quantize.fp32_recall_at_10"] - metrics[QuantizeMetrics.Int8RecallAt10]) * 100, metrics["quantize.recall_at_10_drop_points"], 9);
        Assert.Equal(metrics[QuantizeMetrics.Int8RecallAt10] - metrics["quantize.fp32_recall_at_10"], metrics["quantize.int8_recall_at_10_difference"], 9);
        Assert.True(metrics["quantize.int8_recall_at_10_difference_low"] <= metrics["quantize.int8_recall_at_10_difference_high"]);
        Assert.Equal(metrics["quantize.int8_latency_ms.batch64.length8"] / metrics["quantize.fp32_latency_ms.batch64.length8"], metrics["quantize.latency_ratio.batch64.length8"], 9);
        Assert.Contains("quantize.int8_latency_ms.batch64", metrics.Keys);
        Assert.DoesNotContain("quantize.int8_accuracy", metrics.Keys);
        Assert.DoesNotContain(QuantizeMetrics.Int8Agreement, metrics.Keys);
        Assert.Contains("| student int8 |", result.ReportMarkdown, StringComparison.Ordinal);
        Assert.Contains("mean cosine of the int8 embeddings to the fp32 ones", result.ReportMarkdown, StringComparison.Ordinal);
        Assert.Matches(@"\| 8 \| [0-9.]+ \| [0-9.]+ \| [0-9.]+x \|", result.ReportMarkdown);
        var model = OnnxModelFile.Read(Assert.Single(result.Artifacts).Path);
        Assert.Contains(model.Graph.Node, n => n.OpType == (mode == "dynamic" ? "MatMulInteger" : "QuantizeLinear"));
        DescribedMetrics.AssertEveryReportedMetricWasDescribed(new QuantizeStage(), settings, result);
    }

    [Fact]
    public async Task QuantizeTeacher_under_the_embedding_task_is_bad_input_at_its_field()
    {
        using var harness = new StageHarness();
        string fp32 = TextEmbeddingModels.Export(harness.Folder);

        var error = await Assert.ThrowsAsync<StageException>(() =>
            new QuantizeStage().RunAsync(EmbeddingContext(harness, fp32), new QuantizeSettings { Mode = "dynamic", QuantizeTeacher = true }, CancellationToken.None));

        Assert.Equal("quantizeTeacher", error.SettingsPath);
    }

    [Fact]
    public async Task SequenceLengths_under_classification_is_bad_input_at_its_field()
    {
        using var harness = new StageHarness();
        string fp32 = TextEmbeddingModels.Export(harness.Folder);
        var context = harness.Context(StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, fp32));

        var error = await Assert.ThrowsAsync<StageException>(() =>
            new QuantizeStage().RunAsync(context, new QuantizeSettings { Mode = "dynamic", SequenceLengths = [8] }, CancellationToken.None));

        Assert.Equal("sequenceLengths", error.SettingsPath);
        Assert.Contains("the task is \"classification\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sequence_length_below_2_is_a_settings_error_at_its_index()
    {
        var errors = new QuantizeStage().Validate(new QuantizeSettings { SequenceLengths = [32, 1] }, StageHarness.Services(_ => { }));

        var error = Assert.Single(errors);
        Assert.Equal("sequenceLengths[1]", error.Path);
    }
}
