using Compression.Abstractions.Data;
using Compression.Data.Batching;
using static TorchSharp.torch;

namespace Compression.Models.Training;

/// <summary>Copies chosen rows of a split into a batch of tensors shaped [batch, ...sample shape].</summary>
internal static class BatchTensors
{
    public static (Tensor Features, Tensor Labels) Gather(LabelledData data, ReadOnlySpan<int> rows)
    {
        var features = new float[rows.Length * data.SampleSize];
        var labels = new int[rows.Length];
        Batches.Gather(data, rows, features, labels);
        long[] shape = [rows.Length, .. data.SampleShape.Select(d => (long)d)];
        return (tensor(features, shape), tensor(labels.Select(l => (long)l).ToArray(), [rows.Length]));
    }

    public static Tensor Slice(LabelledData data, int start, int count)
    {
        long[] shape = [count, .. data.SampleShape.Select(d => (long)d)];
        var features = new float[count * data.SampleSize];
        data.CopyRows(start, count, features);
        return tensor(features, shape);
    }
}
