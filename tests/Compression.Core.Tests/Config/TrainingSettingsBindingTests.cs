using Compression.Core.Config;
using Compression.Core.Diagnostics;

namespace Compression.Core.Tests.Config;

public class TrainingSettingsBindingTests
{
    [Fact]
    public void An_unknown_optimizer_is_a_config_error_not_a_training_crash()
    {
        using var folder = new TempFolder();
        string path = folder.Write("compression.json", """
            {
              "teacher": { "training": { "optimizer": "adm" } }
            }
            """);
        var error = Assert.Throws<CompressionException>(() => ConfigLoader.Load(path));
        var finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.InvalidValue, finding.Code);
        Assert.Equal("'teacher.training.optimizer': must be \"adam\", \"adamw\" or \"sgd\", got \"adm\"", finding.Message);
        Assert.Equal(2, finding.Location!.Line);
    }

    [Fact]
    public void Teacher_training_defaults_come_from_the_shared_settings()
    {
        using var folder = new TempFolder();
        var loaded = ConfigLoader.Load(folder.Write("compression.json", """{ "teacher": { "onnx": "t.onnx" } }"""));
        var options = loaded.Config.Teacher!.Training.ToOptions(seed: 9);
        Assert.Equal((10, 64, "adam", "cosine", 9), (options.Epochs, options.BatchSize, options.Optimizer, options.Schedule, options.Seed));
    }
}
