namespace Compression.Models.Training;

/// <summary>
/// Hands each <see cref="EpochReport"/> to a callback on the training thread, at once: unlike
/// <see cref="Progress{T}"/>, which posts to a synchronisation context, so lines could arrive after the
/// training that wrote them has returned.
/// </summary>
public sealed class EpochReportHandler(Action<EpochReport> report) : IProgress<EpochReport>
{
    /// <inheritdoc />
    public void Report(EpochReport value) => report(value);
}
