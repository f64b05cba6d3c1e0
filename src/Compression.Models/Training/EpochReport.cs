namespace Compression.Models.Training;

/// <summary>Progress after one epoch.</summary>
public sealed record EpochReport(int Epoch, int Epochs, double TrainLoss, double ValidationAccuracy, TimeSpan Elapsed, TimeSpan Remaining)
{
    /// <summary>The epoch's mean of each named loss term the loss reported, in the order first seen (empty when none).</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Terms { get; init; } = [];
}
