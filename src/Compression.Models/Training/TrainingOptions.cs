namespace Compression.Models.Training;

/// <summary>How to train: optimizer, schedule, epochs, batch size and the seed for weights and shuffles.</summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 64;
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>"adam", "adamw" or "sgd".</summary>
    public string Optimizer { get; init; } = "adam";

    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; } = 0.9;

    public double WeightDecay { get; init; }

    /// <summary>"cosine" (to zero over all steps), "step" (x0.1 at 50% and 75% of epochs) or "none".</summary>
    public string Schedule { get; init; } = "cosine";

    public int Seed { get; init; } = 42;

    /// <summary>
    /// When set, train for exactly this many optimisation steps instead of <see cref="Epochs"/> passes
    /// (the last pass stops early): a baseline on fewer rows then gets as many updates as the run it
    /// is compared with. The schedule spans these steps.
    /// </summary>
    public int? Steps { get; init; }

    /// <summary>The optimizer and schedule names this trainer knows.</summary>
    public static readonly string[] Optimizers = ["adam", "adamw", "sgd"];

    public static readonly string[] Schedules = ["cosine", "step", "none"];
}
