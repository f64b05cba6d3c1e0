namespace Compression.EndToEnd.Tests;

/// <summary>
/// What <see cref="PluginKitTests"/> writes as a plugin author would: the method body that replaces the
/// template's, the app's compression.json that selects it, and what the report must show.
/// </summary>
public static class PluginKitMethod
{
    /// <summary>Logit matching (MSE to the teacher's logits) plus the hard labels: a body that is not the template's KD.</summary>
    public const string Source = """
        using Compression.Abstractions.Distillation;
        using Compression.Abstractions.Stages;
        using static TorchSharp.torch;

        namespace AcmeDistill;

        public sealed class AcmeDistillMethod : IDistillationMethod
        {
            public string Name => "acme-logit-mse";

            public string Description => "MSE between student and teacher logits, plus hard labels";

            public IReadOnlyList<SettingsError> Validate(DistillationOptions options) =>
                options.Alpha is < 0 or > 1 ? [new SettingsError("alpha", $"must be in [0, 1], got {options.Alpha}")] : [];

            public Tensor Loss(DistillationBatch batch, DistillationOptions options) =>
                nn.functional.mse_loss(batch.StudentLogits, batch.TeacherLogits).Times(options.Alpha)
                    .Plus(batch.HardLabelLoss().Times(1 - options.Alpha));
        }
        """;

    /// <summary>A config on the vendored MNIST sample that takes seconds: a small teacher and student, one epoch each.</summary>
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
              { "type": "flatten" }, { "type": "linear", "out": 128 }, { "type": "relu" }, { "type": "linear", "out": 10 } ] },
            "training": { "epochs": 1, "batchSize": 128 }
          },
          "stages": [
            { "stage": "distill", "settings": {
                "student": { "input": [1, 28, 28], "layers": [
                  { "type": "flatten" }, { "type": "linear", "out": 32 }, { "type": "relu" }, { "type": "linear", "out": 10 } ] },
                "method": "acme-logit-mse", "alpha": 0.5, "epochs": 1, "batchSize": 128, "learningRate": 0.005,
                "compareWithScratch": false, "repeats": 1 } },
            { "stage": "export" }
          ],
          "budgets": { "minAccuracyRetention": {{minRetention}} }
        }
        """;

    /// <summary>The report names the plugin's method as the one the distill stage trained with.</summary>
    public static void AssertRanIn(string report) =>
        Assert.Contains("Training: `acme-logit-mse", report);
}
