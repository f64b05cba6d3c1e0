using Compression.Abstractions.Data;

namespace Compression.Data.Loading;

/// <summary>
/// What <see cref="DataSetLoader.LoadDataSet"/> produces: the splits the stages work on, and the
/// training rows with every label the files have, for a teacher that is trained here.
/// </summary>
/// <param name="Splits">
/// The splits: <see cref="DataSplits.Train"/> is the labelled subset (all training rows when no
/// <c>data.labeledCount</c>/<c>data.labeledFraction</c> is set); <see cref="DataSplits.Transfer"/> is the
/// training rows whose labels were hidden, followed by the <c>data.transfer</c> file's rows, all with
/// <see cref="LabelledData.NoLabel"/>.
/// </param>
/// <param name="TeacherTrain">
/// Every training row (after the validation split) with its label, in file order. A teacher given as
/// a spec stands in for a vendor's model, which was trained on all the labels there are, so it trains
/// on these; students see only <see cref="DataSplits.Train"/>'s labels. The same object as
/// <see cref="DataSplits.Train"/> when no labels are hidden.
/// </param>
public sealed record LoadedDataSet(DataSplits Splits, LabelledData TeacherTrain)
{
    /// <summary>How the raw features were normalised into the splits (identity when nothing was applied).</summary>
    public InputNormalization Normalization { get; init; } = InputNormalization.None;

    /// <summary>Each data file's SHA-256, recorded while the data set was hashed; the rest of the run reads them here.</summary>
    public DataFileDigests Digests { get; init; } = new();
}
