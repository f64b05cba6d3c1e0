namespace Compression.EndToEnd.Tests;

/// <summary>
/// What <see cref="PluginKitTests"/> writes as a plugin author would: the method body that replaces the
/// template's, the app's compression.json that selects it, and what the report must show.
/// </summary>
public static class PluginKitMethod
{
    /// <summary>
    /// A small feature-based loss: the student's tapped feature map goes through a trainable 1x1
    /// convolution (an adapter, created in Setup for tap 0 so the stage checks its output shape) and
    /// regresses the teacher's, beside the hard labels; two named terms, "hint" and "hard".
    /// </summary>
    public const string Source = """
        using Compression.Abstractions.Distillation;
        using Compression.Abstractions.Stages;
        using static TorchSharp.torch;

        namespace AcmeDistill;

        public sealed class AcmeDistillMethod : IDistillationMethod
        {
            public string Name => "acme-hint";

            public string Description => "a 1x1 adapter from the student's tapped channels to the teacher's, MSE hint, plus hard labels";

            public IReadOnlyList<SettingsError> Validate(DistillationOptions options) =>
                options.Taps.Count == 1 ? [] : [new SettingsError("taps", $"acme-hint reads exactly one tap, got {options.Taps.Count}")];

            public void Setup(DistillationSetup setup)
            {
                TapShape tap = setup.Taps[0];
                setup.Adapters.Add("hint", nn.Conv2d(tap.Student[0], tap.Teacher[0], 1, bias: false), tap: 0);
            }

            public Tensor Loss(DistillationBatch batch, DistillationOptions options) => LossTerm.Total(LossTerms(batch, options));

            public IReadOnlyList<LossTerm> LossTerms(DistillationBatch batch, DistillationOptions options)
            {
                TappedFeatures features = batch.Features[0];
                Tensor hint = nn.functional.mse_loss(batch.Adapter("hint").forward(features.Student), features.Teacher);
                return [new LossTerm("hint", hint.Times(options.Alpha)), new LossTerm("hard", batch.HardLabelLoss().Times(1 - options.Alpha))];
            }
        }
        """;

    /// <summary>
    /// A config on the vendored MNIST sample that takes seconds: a small convolutional teacher and student,
    /// one epoch each, and one tap from the student's first convolution ([4, 14, 14]) to the teacher's ([16, 14, 14]).
    /// </summary>
    public static string AppConfig(string data, string minRetention) => $$"""
        {
          "seed": 7,
          "data": {
            "format": "idx",
            "train": { "features": "{{data}}/train-images-idx3-ubyte.gz", "labels": "{{data}}/train-labels-idx1-ubyte.gz" },
            "test": { "features": "{{data}}/test-images-idx3-ubyte.gz", "labels": "{{data}}/test-labels-idx1-ubyte.gz" },
            "validationFraction": 0.1,
            "normalization": "scale"
          },
          "teacher": {
            "model": { "input": [1, 28, 28], "layers": [
              { "type": "conv2d", "out": 16, "kernel": 3, "stride": 2, "padding": 1, "name": "conv1" }, { "type": "relu" },
              { "type": "flatten" }, { "type": "linear", "out": 10 } ] },
            "training": { "epochs": 1, "batchSize": 128 }
          },
          "stages": [
            { "stage": "distill", "settings": {
                "student": { "input": [1, 28, 28], "layers": [
                  { "type": "conv2d", "out": 4, "kernel": 3, "stride": 2, "padding": 1, "name": "block1" }, { "type": "relu" },
                  { "type": "flatten" }, { "type": "linear", "out": 10 } ] },
                "taps": [ { "student": "block1", "teacher": "conv1" } ],
                "method": "acme-hint", "alpha": 0.5, "epochs": 1, "batchSize": 128, "learningRate": 0.005,
                "compareWithScratch": false, "repeats": 1 } },
            { "stage": "export" }
          ],
          "budgets": { "minAccuracyRetention": {{minRetention}} }
        }
        """;

    /// <summary>The report names the plugin's method as the one the distill stage trained with, and shows its terms per epoch.</summary>
    public static void AssertRanIn(string report)
    {
        Assert.Contains("Training: `acme-hint", report);
        Assert.Contains("| epoch | hint | hard |", report);
        Assert.Matches(@"\| 1 \| \d+\.\d{4} \| \d+\.\d{4} \|", report);
    }
}
