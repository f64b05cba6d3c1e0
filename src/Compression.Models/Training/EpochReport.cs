namespace Compression.Models.Training;

/// <summary>Progress after one epoch.</summary>
public sealed record EpochReport(int Epoch, int Epochs, double TrainLoss, double ValidationAccuracy, TimeSpan Elapsed, TimeSpan Remaining);
