using Compression.Abstractions.Data;

namespace Compression.Models.Evaluation;

/// <summary>An ONNX teacher's intermediate tensors over whole splits (offline feature distillation).</summary>
public static class TeacherFeatures
{
    private const int BatchSize = 256;

    /// <summary>The per-sample shape of tensor <paramref name="name"/>.</summary>
    /// <exception cref="Abstractions.Stages.FeatureTapException">No such float tensor of fixed shape.</exception>
    public static IReadOnlyList<int> Shape(string onnxPath, string name, int classCount)
    {
        using var teacher = new OnnxTappedTeacher(onnxPath, [name], classCount);
        return teacher.Shapes[0];
    }

    /// <summary>Tensor <paramref name="name"/> for every sample of <paramref name="data"/>, row-major [count, ...shape].</summary>
    public static float[] Compute(string onnxPath, string name, LabelledData data, int classCount, CancellationToken cancellationToken)
    {
        using var teacher = new OnnxTappedTeacher(onnxPath, [name], classCount);
        long perSample = teacher.Shapes[0].Aggregate(1L, (a, b) => a * b);
        var values = new float[checked(data.Count * perSample)];
        for (int start = 0; start < data.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(BatchSize, data.Count - start);
            float[] batch = teacher.Run(data.Rows(start, count), count).Features[0];
            batch.CopyTo(values.AsSpan(checked((int)(start * perSample))));
        }
        return values;
    }
}
