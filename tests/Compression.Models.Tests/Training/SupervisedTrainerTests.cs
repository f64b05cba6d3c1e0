using Compression.Abstractions.Data;
using Compression.Models.Spec;
using Compression.Models.Training;
using static TorchSharp.torch;

namespace Compression.Models.Tests.Training;

public class SupervisedTrainerTests
{
    /// <summary>Two Gaussian blobs in 4-D: linearly separable, so a few epochs must learn them.</summary>
    private static LabelledData Blobs(int count, int seed)
    {
        var random = new Random(seed);
        var features = new float[count * 4];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % 2;
            for (int f = 0; f < 4; f++)
            {
                features[(i * 4) + f] = (float)((labels[i] == 0 ? -1.5 : 1.5) + (random.NextDouble() - 0.5));
            }
        }
        return new LabelledData(features, [4], labels);
    }

    private static readonly ModelSpec s_spec = Specs.Parse("""{"input":[4],"layers":[{"type":"linear","out":8},{"type":"relu"},{"type":"linear","out":2}]}""");

    private static readonly ModelSpec s_residualSpec = Specs.Parse("""{"input":[4],"layers":[{"type":"linear","out":8},{"type":"residual","layers":[{"type":"linear","out":8},{"type":"relu"},{"type":"linear","out":6}]},{"type":"linear","out":2}]}""");

    private static readonly TrainingOptions s_options = new() { Epochs = 3, BatchSize = 16, LearningRate = 0.01, Seed = 5 };

    [Fact]
    public void A_small_mlp_learns_separable_data()
    {
        using var model = ModelFactory.Create(s_spec, 5);
        var reports = new List<EpochReport>();
        var summary = SupervisedTrainer.Train(model, Blobs(300, 1), Blobs(100, 2), s_options, Losses.CrossEntropy, new Recorder(reports), CancellationToken.None);
        Assert.True(summary.ValidationAccuracy > 0.9, $"validation accuracy {summary.ValidationAccuracy}");
        Assert.Equal([1, 2, 3], reports.Select(r => r.Epoch));
    }

    [Fact]
    public void Steps_set_the_number_of_optimisation_steps_across_partial_epochs()
    {
        using var model = ModelFactory.Create(s_spec, 5);
        var reports = new List<EpochReport>();
        // 100 rows in batches of 16 are 7 steps an epoch: 30 steps are 4 full epochs and 2 steps of a fifth.
        var summary = SupervisedTrainer.Train(model, Blobs(100, 1), Blobs(50, 2), s_options with { Steps = 30 }, Losses.CrossEntropy, new Recorder(reports), CancellationToken.None);
        Assert.Equal(30, summary.Steps);
        Assert.Equal(5, summary.Epochs);
        Assert.Equal([1, 2, 3, 4, 5], reports.Select(r => r.Epoch));
    }

    [Fact]
    public void Batch_reports_come_inside_epochs_never_for_an_epochs_last_batch_nor_past_the_last_step()
    {
        using var model = ModelFactory.Create(s_spec, 5);
        var batches = new List<BatchReport>();
        // 100 rows in batches of 16: 7 steps an epoch; 17 steps end 3 steps into the third epoch.
        var extras = new TrainingExtras { BatchProgress = new BatchReportHandler(batches.Add), BatchReportInterval = TimeSpan.Zero };
        SupervisedTrainer.Train(model, Blobs(100, 1), Blobs(50, 2), s_options with { Steps = 17 }, Losses.CrossEntropy, null, CancellationToken.None, extras: extras);

        Assert.Equal(
            [(1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (2, 1), (2, 2), (2, 3), (2, 4), (2, 5), (2, 6), (3, 1), (3, 2)],
            batches.Select(b => (b.Epoch, b.Batch)));
        Assert.All(batches, b => Assert.Equal((3, 7), (b.Epochs, b.Batches)));
        Assert.All(batches, b => Assert.True(double.IsFinite(b.MeanLoss) && b.MeanLoss > 0 && b.Remaining >= TimeSpan.Zero));
        Assert.Equal("epoch 2/3 batch 4/7 loss 0.25, 1:05 elapsed, ETA 0:10", (batches[9] with { MeanLoss = 0.25, Elapsed = TimeSpan.FromSeconds(65), Remaining = TimeSpan.FromSeconds(10) }).ToString());
    }

    [Fact]
    public void Batch_reports_wait_for_their_interval()
    {
        using var model = ModelFactory.Create(s_spec, 5);
        var batches = new List<BatchReport>();
        var extras = new TrainingExtras { BatchProgress = new BatchReportHandler(batches.Add), BatchReportInterval = TimeSpan.FromHours(1) };
        SupervisedTrainer.Train(model, Blobs(100, 1), Blobs(50, 2), s_options, Losses.CrossEntropy, null, CancellationToken.None, extras: extras);

        Assert.Empty(batches);
    }

    [Fact]
    public void A_run_of_many_short_epochs_validates_and_reports_at_most_twenty_of_them_ending_with_the_last()
    {
        using var model = ModelFactory.Create(s_spec, 5);
        var reports = new List<EpochReport>();
        // 32 rows in batches of 16: 2-step epochs, 45 of them (the shape of a step-matched scratch run on few labels).
        var summary = SupervisedTrainer.Train(model, Blobs(32, 1), Blobs(20, 2), s_options with { Epochs = 45 }, Losses.CrossEntropy, new Recorder(reports), CancellationToken.None);

        Assert.Equal(90, summary.Steps);
        Assert.Equal([3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39, 42, 45], reports.Select(r => r.Epoch));
        Assert.Equal(reports[^1].ValidationAccuracy, summary.ValidationAccuracy);
        Assert.Equal(45, summary.TermsPerEpoch.Count);
    }

    [Theory]
    [InlineData(20, new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 })]
    [InlineData(21, new[] { 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 21 })]
    [InlineData(288, new[] { 15, 30, 45, 60, 75, 90, 105, 120, 135, 150, 165, 180, 195, 210, 225, 240, 255, 270, 285, 288 })]
    public void Reported_epochs_are_every_epoch_up_to_twenty_else_evenly_spaced_and_the_last(int epochs, int[] reported) =>
        Assert.Equal(reported, Enumerable.Range(0, epochs).Where(e => SupervisedTrainer.IsReportedEpoch(e, epochs)).Select(e => e + 1));

    [Fact]
    public void Unlabelled_samples_reach_the_loss_with_no_label_and_every_batch_has_labelled_ones()
    {
        LabelledData blobs = Blobs(200, 1);
        int[] labels = blobs.Labels.Select((l, i) => i % 10 == 0 ? l : LabelledData.NoLabel).ToArray();
        var partlyLabelled = new LabelledData(blobs.Features, [4], labels);
        using var model = ModelFactory.Create(s_spec, 5);
        var labelledPerBatch = new List<long>();
        LossFunction loss = (logits, batch) =>
        {
            labelledPerBatch.Add(batch.Labels.ne(LabelledData.NoLabel).sum().item<long>());
            return TorchSharp.torch.nn.functional.cross_entropy(logits, batch.Labels);
        };
        var summary = SupervisedTrainer.Train(model, partlyLabelled, Blobs(50, 2), s_options with { Epochs = 1 }, loss, null, CancellationToken.None);

        Assert.Equal(13, labelledPerBatch.Count);
        Assert.Equal(20, labelledPerBatch.Sum());
        Assert.All(labelledPerBatch, n => Assert.InRange(n, 1, 2));
        Assert.True(double.IsFinite(summary.FinalTrainLoss));
    }

    [Fact]
    public void A_loss_that_becomes_NaN_stops_training_at_that_batch_naming_the_learning_rate()
    {
        using var model = ModelFactory.Create(s_spec, 5);
        int calls = 0;
        LossFunction loss = (logits, batch) =>
        {
            Tensor value = TorchSharp.torch.nn.functional.cross_entropy(logits, batch.Labels);
            return ++calls == 4 ? value * float.NaN : value;
        };

        var error = Assert.Throws<TrainingDivergedException>(() =>
            SupervisedTrainer.Train(model, Blobs(100, 1), Blobs(20, 2), s_options with { LearningRate = 7 }, loss, null, CancellationToken.None));

        Assert.Equal(4, calls); // no step after the NaN
        Assert.Equal((1, 3), (error.Epoch, error.Step));
        Assert.True(double.IsNaN(error.Loss));
        Assert.Contains("the loss became NaN at epoch 1/3 (step 3)", error.Message);
        Assert.Contains("Lower the learning rate (the setting is 7)", error.Message);
        Assert.All(model.parameters(), p => Assert.False(p.isnan().any().item<bool>())); // the NaN step was never applied
    }

    [Fact]
    public void A_transform_changes_the_batch_the_model_and_the_loss_see()
    {
        using var model = ModelFactory.Create(s_spec, 5);
        var steps = new List<long>();
        var inputs = new List<float>();
        BatchTransform zero = (features, labels, step) =>
        {
            steps.Add(step);
            return (TorchSharp.torch.zeros_like(features), labels);
        };
        LossFunction loss = (logits, batch) =>
        {
            inputs.Add(batch.Inputs.abs().sum().item<float>());
            return TorchSharp.torch.nn.functional.cross_entropy(logits, batch.Labels);
        };
        SupervisedTrainer.Train(model, Blobs(64, 1), Blobs(16, 2), s_options with { Epochs = 2 }, loss, null, CancellationToken.None, zero);

        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], steps);
        Assert.All(inputs, v => Assert.Equal(0, v));
    }

    [Fact]
    public void Extra_modules_train_with_the_model_and_taps_reach_the_loss_with_gradients()
    {
        var spec = ModelSpec.Parse(System.Text.Json.JsonDocument.Parse("""{"input":[4],"layers":[{"type":"linear","out":6,"name":"hidden"},{"type":"relu"},{"type":"linear","out":3}]}""").RootElement, "spec");
        using var model = ModelFactory.Create(spec, 5);
        using var adapter = TorchSharp.torch.nn.Linear(6, 2);
        using var untouched = TorchSharp.torch.nn.Linear(6, 2);
        float[] before = adapter.weight!.data<float>().ToArray();
        float[] untouchedBefore = untouched.weight!.data<float>().ToArray();
        var terms = new List<string>();
        LossFunction loss = (logits, batch) =>
        {
            var hidden = batch.Features["hidden"];
            Assert.True(hidden.requires_grad);
            var pulled = adapter.forward(hidden).square().mean();
            batch.Terms!.Add("pull", pulled.item<float>());
            return Compression.Abstractions.Distillation.ScalarArithmetic.Plus(TorchSharp.torch.nn.functional.cross_entropy(logits, batch.Labels), pulled);
        };
        var summary = SupervisedTrainer.Train(model, Blobs(64, 1), Blobs(16, 2), s_options with { Epochs = 2 }, loss, null, CancellationToken.None,
            extras: new TrainingExtras { Taps = ["hidden"], Modules = [adapter] });

        Assert.NotEqual(before, adapter.weight!.data<float>().ToArray());
        Assert.Equal(untouchedBefore, untouched.weight!.data<float>().ToArray());
        Assert.Equal(2, summary.TermsPerEpoch.Count);
        Assert.Equal("pull", Assert.Single(summary.TermsPerEpoch[1]).Key);
        Assert.False(adapter.training);
    }

    [Fact]
    public void A_tap_on_a_layer_inside_a_residual_block_reads_that_layers_output()
    {
        var spec = ModelSpec.Parse(System.Text.Json.JsonDocument.Parse("""{"input":[4],"layers":[{"type":"residual","name":"block","layers":[{"type":"linear","out":4,"name":"inner"},{"type":"relu","name":"act"}]},{"type":"linear","out":3}]}""").RootElement, "spec");
        using var model = ModelFactory.Create(spec, 5);
        using var scope = TorchSharp.torch.NewDisposeScope();
        var x = TorchSharp.torch.randn(2, 4);
        var output = model.Forward(x, ["inner", "act", "block"], out var features);
        var inner = ((TorchSharp.Modules.Linear)((ResidualBlock)model.Layers[0]).Body[0]).forward(x);
        Assert.True(features["inner"].allclose(inner));
        Assert.True(features["act"].allclose(inner.relu()));
        Assert.True(features["block"].allclose(Compression.Abstractions.Distillation.ScalarArithmetic.Plus(inner.relu(), x)));
        Assert.True(output.allclose(model.forward(x)));
        var error = Assert.Throws<ArgumentException>(() => model.Forward(x, ["missing"], out _));
        Assert.Contains("named layers: inner, act, block", error.Message);
    }

    /// <summary>Same seed, same model up to float rounding: libtorch's multithreaded reductions may sum in another order.</summary>
    [Fact]
    public void The_same_seed_gives_the_same_weights()
    {
        float[] Train()
        {
            using var model = ModelFactory.Create(s_spec, 5);
            SupervisedTrainer.Train(model, Blobs(200, 1), Blobs(50, 2), s_options, Losses.CrossEntropy, null, CancellationToken.None);
            return ModelEvaluator.Logits(model, Blobs(20, 3));
        }
        float[] first = Train();
        float[] second = Train();
        Assert.Equal(first.Length, second.Length);
        // Threaded reductions drift by float rounding, more under load; a different seed moves logits by O(1).
        double sameSeed = first.Zip(second, (a, b) => Math.Abs(a - b)).Max();
        double otherSeed = first.Zip(ModelEvaluator.Logits(ModelFactory.Create(s_spec, 6), Blobs(20, 3)), (a, b) => Math.Abs(a - b)).Max();
        Assert.True(sameSeed < 1e-3, $"same seed differs by {sameSeed}");
        Assert.True(otherSeed > 100 * sameSeed, $"another seed differs by only {otherSeed}");
    }

    [Fact]
    public void Cancellation_stops_training()
    {
        using var model = ModelFactory.Create(s_spec, 5);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() =>
            SupervisedTrainer.Train(model, Blobs(200, 1), Blobs(50, 2), s_options, Losses.CrossEntropy, null, cancelled.Token));
    }

    [Theory]
    [InlineData("sequential")]
    [InlineData("residual")]
    public void A_saved_model_loads_with_identical_outputs(string kind)
    {
        ModelSpec spec = kind == "sequential" ? s_spec : s_residualSpec;
        using var model = ModelFactory.Create(spec, 5);
        SupervisedTrainer.Train(model, Blobs(200, 1), Blobs(50, 2), s_options, Losses.CrossEntropy, null, CancellationToken.None);
        string folder = Path.Combine(Path.GetTempPath(), $"artifact-{Guid.NewGuid():N}");
        try
        {
            TorchModelArtifact.Save(model, folder);
            using var loaded = TorchModelArtifact.Load(folder);
            // Weights must be bit-identical; outputs agree up to libtorch's threaded summation order.
            var saved = model.parameters().Select(p => p.data<float>().ToArray()).ToList();
            var restored = loaded.parameters().Select(p => p.data<float>().ToArray()).ToList();
            Assert.Equal(saved, restored);
            float[] expected = ModelEvaluator.Logits(model, Blobs(20, 3));
            float[] actual = ModelEvaluator.Logits(loaded, Blobs(20, 3));
            Assert.True(expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max() < 1e-5);
            Assert.Equal(spec.ToJson(), loaded.Spec.ToJson());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class Recorder(List<EpochReport> reports) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => reports.Add(value);
    }
}
