using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Compression.Models.Training;

/// <summary>
/// Training settings as they appear in compression.json, shared by the teacher's <c>training</c>
/// section and the distill stage's settings (which extend it), so both validate and document the
/// same way and map to <see cref="TrainingOptions"/> in one place.
/// </summary>
public class TrainingSettings
{
    [Range(1, 10_000, ErrorMessage = "must be between 1 and 10000")]
    [Description("Passes over the training split.")]
    public int Epochs { get; set; } = 10;

    [Range(1, 1_000_000, ErrorMessage = "must be between 1 and 1000000")]
    [Description("Samples per optimisation step.")]
    public int BatchSize { get; set; } = 64;

    [Range(1e-9, 10.0, ErrorMessage = "must be between 1e-9 and 10")]
    [Description("Peak learning rate.")]
    public double LearningRate { get; set; } = 1e-3;

    [AllowedValues("adam", "adamw", "sgd", ErrorMessage = "must be \"adam\", \"adamw\" or \"sgd\"")]
    [Description("\"adam\", \"adamw\" or \"sgd\" (momentum 0.9).")]
    public string Optimizer { get; set; } = "adam";

    [Range(0.0, 1.0, ErrorMessage = "must be in [0, 1]")]
    [Description("L2 weight decay.")]
    public double WeightDecay { get; set; }

    [AllowedValues("cosine", "step", "none", ErrorMessage = "must be \"cosine\", \"step\" or \"none\"")]
    [Description("\"cosine\" (to zero over all steps), \"step\" (x0.1 at 50% and 75% of epochs) or \"none\".")]
    public string Schedule { get; set; } = "cosine";

    /// <summary>The trainer's options for these settings and a seed.</summary>
    public TrainingOptions ToOptions(int seed) => new()
    {
        Epochs = Epochs,
        BatchSize = BatchSize,
        LearningRate = LearningRate,
        Optimizer = Optimizer,
        WeightDecay = WeightDecay,
        Schedule = Schedule,
        Seed = seed,
    };
}
