namespace Compression.Models.Training;

/// <summary>Hands each <see cref="BatchReport"/> to a callback on the training thread, at once (see <see cref="EpochReportHandler"/>).</summary>
public sealed class BatchReportHandler(Action<BatchReport> report) : IProgress<BatchReport>
{
    /// <inheritdoc />
    public void Report(BatchReport value) => report(value);
}
