namespace Compression.Models.Training;

/// <summary>
/// Progress inside an epoch, for runs whose epochs are long (an imported 224x224 CNN takes minutes per
/// epoch on two cores, and an epoch report alone would leave the console silent that long).
/// </summary>
/// <param name="Epoch">The epoch under way, from 1.</param>
/// <param name="Epochs">Epochs in the run.</param>
/// <param name="Batch">Batches done in this epoch.</param>
/// <param name="Batches">Batches in this epoch.</param>
/// <param name="MeanLoss">Mean loss of this epoch's batches so far.</param>
/// <param name="Elapsed">Time since training began.</param>
/// <param name="Remaining">Estimated time left for the whole run, from the mean time per step so far.</param>
public sealed record BatchReport(int Epoch, int Epochs, int Batch, int Batches, double MeanLoss, TimeSpan Elapsed, TimeSpan Remaining)
{
    /// <summary>One console line's worth: "epoch 1/3 batch 17/40 loss 0.01234, 2:05 elapsed, ETA 5:40".</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"epoch {Epoch}/{Epochs} batch {Batch}/{Batches} loss {MeanLoss:G4}, {Elapsed:m\\:ss} elapsed, ETA {Remaining:m\\:ss}");
}
