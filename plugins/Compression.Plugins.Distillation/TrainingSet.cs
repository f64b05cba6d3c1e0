using Compression.Abstractions.Data;

namespace Compression.Plugins.Distillation;

/// <summary>
/// The rows a student is distilled on: the labelled training split followed by the unlabelled
/// transfer samples (labels <see cref="LabelledData.NoLabel"/>), so that teacher logits for row i are
/// train's logits then transfer's, in that order.
/// </summary>
internal static class TrainingSet
{
    public static LabelledData Combine(LabelledData train, LabelledData transfer)
    {
        if (transfer.Count == 0)
        {
            return train;
        }
        float[] features = [.. train.Features, .. transfer.Features];
        int[] labels = [.. train.Labels, .. transfer.Labels];
        return new LabelledData(features, train.SampleShape, labels);
    }
}
