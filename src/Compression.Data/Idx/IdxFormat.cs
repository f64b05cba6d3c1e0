using Compression.Data.Formats;
using Compression.Data.Loading;

namespace Compression.Data.Idx;

/// <summary>The "idx" format (MNIST and its relatives): a features file and a labels file per split, the transfer split a features file only.</summary>
public sealed class IdxFormat : DataFormat
{
    /// <inheritdoc/>
    public override string Name => "idx";

    /// <inheritdoc/>
    public override IReadOnlyList<string> FileKeys { get; } = ["features", "labels"];

    /// <inheritdoc/>
    public override IReadOnlyList<string> TransferFileKeys { get; } = ["features"];

    /// <inheritdoc/>
    public override string FeaturesFileDescription => "an IDX images file";

    /// <inheritdoc/>
    public override DataFormatContent Read(DataSetOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        DataFormatSplit train = ReadLabelled(options.Train);
        cancellationToken.ThrowIfCancellationRequested();
        DataFormatSplit test = ReadLabelled(options.Test);
        DataFormatSplit? transfer = null;
        if (options.Transfer is DataFiles transferFiles)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IdxFeatures features = IdxReader.ReadFeatures(transferFiles.Features!);
            transfer = DataFormatSplit.Unlabelled(features.Features, features.SampleShape, features.Count, transferFiles.Features!);
        }
        return new DataFormatContent(train, test, transfer);
    }

    private static DataFormatSplit ReadLabelled(DataFiles files)
    {
        IdxFeatures features = IdxReader.ReadFeatures(files.Features!);
        int[] labels = IdxReader.ReadLabels(files.Labels!);
        if (features.Count != labels.Length)
        {
            throw new DataFormatException(files.Labels!,
                $"{Path.GetFileName(files.Labels!)}: expected one label per sample of {Path.GetFileName(files.Features!)} ({features.Count}), found {labels.Length} labels.");
        }
        return new DataFormatSplit(features.Features, features.SampleShape, labels, files.Features!, files.Labels!);
    }
}
