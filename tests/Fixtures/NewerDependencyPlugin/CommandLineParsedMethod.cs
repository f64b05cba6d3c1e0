using System.CommandLine;
using Compression.Abstractions.Distillation;
using Compression.Abstractions.Stages;
using static TorchSharp.torch;

namespace NewerDependencyPlugin;

/// <summary>
/// Takes its loss weight from a command line parsed with System.CommandLine (the version this plugin
/// was built with), and says in its description which System.CommandLine assembly it runs with.
/// </summary>
public sealed class CommandLineParsedMethod : IDistillationMethod
{
    public string Name => "commandline-parsed";

    public string Description => $"System.CommandLine {typeof(RootCommand).Assembly.GetName().Version}";

    public IReadOnlyList<SettingsError> Validate(DistillationOptions options) => [];

    public Tensor Loss(DistillationBatch batch, DistillationOptions options)
    {
        var weight = new Option<double>("--weight");
        var command = new RootCommand { weight };
        double parsed = command.Parse(["--weight", "0.5"]).GetValue(weight);
        return nn.functional.mse_loss(batch.StudentLogits, batch.TeacherLogits).Times(parsed);
    }
}
