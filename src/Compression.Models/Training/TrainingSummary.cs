namespace Compression.Models.Training;

/// <summary>The outcome of a training run.</summary>
public sealed record TrainingSummary(int Epochs, double FinalTrainLoss, double ValidationAccuracy, TimeSpan Elapsed)
{
    /// <summary>Optimisation steps taken.</summary>
    public int Steps { get; init; }

    /// <summary>Each named loss term's mean over every epoch, in order: [epoch][term].</summary>
    public IReadOnlyList<IReadOnlyList<KeyValuePair<string, double>>> TermsPerEpoch { get; init; } = [];
}
