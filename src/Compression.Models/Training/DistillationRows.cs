using Compression.Abstractions.Data;
using Compression.Abstractions.Stages;

namespace Compression.Models.Training;

/// <summary>
/// The rows a student learns from when a teacher teaches it (the distill stage, and the prune stage's KD
/// fine-tuning): the labelled training split followed by the unlabelled transfer samples (labels
/// <see cref="LabelledData.NoLabel"/>), so that a teacher output for row i is train's outputs then
/// transfer's, in that order.
/// </summary>
public static class DistillationRows
{
    /// <summary>Train's rows, then the transfer rows (train itself when there are none).</summary>
    public static LabelledData Of(DataSplits data)
    {
        ArgumentNullException.ThrowIfNull(data);
        LabelledData train = data.Train;
        LabelledData transfer = data.Transfer;
        if (transfer.Count == 0)
        {
            return train;
        }
        return LabelledData.Concat(train, transfer);
    }

    /// <summary>A teacher output per row of <see cref="Of"/>: <paramref name="output"/> of the train split, then of the transfer split.</summary>
    public static float[] TeacherOutputs(DataSplits data, Func<DataSplit, Task<float[]>> output)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(output);
        float[] train = output(DataSplit.Train).GetAwaiter().GetResult();
        return data.Transfer.Count == 0 ? train : [.. train, .. output(DataSplit.Transfer).GetAwaiter().GetResult()];
    }

    /// <summary>The teacher's logits for every row of <see cref="Of"/>, row-major [rows, classes].</summary>
    /// <exception cref="StageException">The teacher does not give one logit per class for each row.</exception>
    public static float[] TeacherLogits(ITeacher teacher, DataSplits data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        float[] logits = TeacherOutputs(data, split => teacher.GetLogitsAsync(split, cancellationToken));
        int rows = data.Train.Count + data.Transfer.Count;
        if (logits.Length != (long)rows * data.ClassCount)
        {
            throw new StageException($"teacher '{teacher.Name}' gives {logits.Length / Math.Max(rows, 1)} logits per sample; the data has {data.ClassCount} classes");
        }
        return logits;
    }
}
