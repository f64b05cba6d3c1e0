namespace Compression.Abstractions.Data;

/// <summary>The data set a pipeline runs on, split three ways, plus optional unlabelled transfer data.</summary>
/// <param name="Train">Labelled samples: used to train the student (and a spec teacher), and to calibrate quantization.</param>
/// <param name="Validation">Held out from training: model selection, temperature fitting.</param>
/// <param name="Test">Only for the final evaluation that the gate judges.</param>
/// <param name="ClassCount">Number of classes; labels are in [0, ClassCount).</param>
/// <param name="ContentHash">Hash of the source files and the split/normalisation settings; part of every cache key.</param>
public sealed record DataSplits(LabelledData Train, LabelledData Validation, LabelledData Test, int ClassCount, string ContentHash)
{
    private readonly LabelledData? _transfer;

    /// <summary>
    /// Samples without labels, of the same shape as <see cref="Train"/> (every label is
    /// <see cref="LabelledData.NoLabel"/>): the config's <c>data.transfer</c> file, plus the train rows
    /// whose labels <c>data.labeledCount</c> hides. Empty when there are none. Distillation trains on
    /// <see cref="Train"/> and these together, with the teacher's soft targets for all of them.
    /// </summary>
    public LabelledData Transfer
    {
        get => _transfer ?? new LabelledData([], Train.SampleShape, []);
        init => _transfer = value;
    }

    /// <summary>The samples of <paramref name="split"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined <see cref="DataSplit"/>.</exception>
    public LabelledData Of(DataSplit split) => split switch
    {
        DataSplit.Train => Train,
        DataSplit.Validation => Validation,
        DataSplit.Test => Test,
        DataSplit.Transfer => Transfer,
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "not a data split"),
    };
}
