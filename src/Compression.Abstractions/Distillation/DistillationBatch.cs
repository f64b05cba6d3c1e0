using Compression.Abstractions.Data;
using static TorchSharp.torch;

namespace Compression.Abstractions.Distillation;

/// <summary>One training batch as a distillation loss sees it.</summary>
/// <param name="StudentLogits">Student outputs before softmax, [batch, classes], with gradients.</param>
/// <param name="TeacherLogits">Teacher outputs before softmax, [batch, classes], no gradients. With several
/// teachers, the weighted mean of their logits; each one is in <see cref="Teachers"/>.</param>
/// <param name="Labels">Hard labels, [batch], int64; <see cref="LabelledData.NoLabel"/> (-100) for a sample
/// without one (transfer data), which <c>cross_entropy</c> skips by default. Use <see cref="HardLabelLoss"/>:
/// it is also defined (zero) for a batch in which no sample has a label.</param>
public sealed record DistillationBatch(Tensor StudentLogits, Tensor TeacherLogits, Tensor Labels)
{
    private readonly IReadOnlyList<Tensor>? _teachers;

    /// <summary>
    /// The batch for several teachers (or one): <see cref="TeacherLogits"/> is their weighted mean (the
    /// one teacher's logits when there is one), <see cref="Teachers"/> and <see cref="TeacherWeights"/> each
    /// one with its weight. The one place teachers are combined, so every stage that distils combines them alike.
    /// </summary>
    /// <param name="studentLogits">Student outputs before softmax, with gradients.</param>
    /// <param name="teacherLogits">Each teacher's logits, in the order of the config.</param>
    /// <param name="weights">Each teacher's weight, summing to 1.</param>
    /// <param name="labels">Hard labels (see <see cref="Labels"/>).</param>
    public static DistillationBatch OfTeachers(Tensor studentLogits, IReadOnlyList<Tensor> teacherLogits, IReadOnlyList<double> weights, Tensor labels)
    {
        ArgumentOutOfRangeException.ThrowIfZero(teacherLogits.Count);
        if (weights.Count != teacherLogits.Count)
        {
            throw new ArgumentException($"{teacherLogits.Count} teachers but {weights.Count} weights", nameof(weights));
        }
        Tensor combined = teacherLogits[0];
        if (teacherLogits.Count > 1)
        {
            combined = teacherLogits[0].Times(weights[0]);
            for (int i = 1; i < teacherLogits.Count; i++)
            {
                combined = combined.Plus(teacherLogits[i].Times(weights[i]));
            }
        }
        return new DistillationBatch(studentLogits, combined, labels) { Teachers = teacherLogits, TeacherWeights = weights };
    }

    /// <summary>
    /// The logits of every teacher, [batch, classes] each, in the order of the config, with the weight
    /// of each in <see cref="TeacherWeights"/>. One entry (<see cref="TeacherLogits"/>) with one teacher.
    /// </summary>
    public IReadOnlyList<Tensor> Teachers
    {
        get => _teachers ?? [TeacherLogits];
        init => _teachers = value;
    }

    /// <summary>The weight of each of <see cref="Teachers"/>, summing to 1.</summary>
    public IReadOnlyList<double> TeacherWeights { get; init; } = [1.0];

    /// <summary>
    /// The features of every configured tap (<see cref="DistillationOptions.Taps"/>), in the same order:
    /// the student's with gradients, the first teacher's without. Empty when no taps are configured.
    /// </summary>
    public IReadOnlyList<TappedFeatures> Features { get; init; } = [];

    /// <summary>The adapters the method created in <see cref="IDistillationMethod.Setup"/>, by name.</summary>
    public IReadOnlyDictionary<string, nn.Module<Tensor, Tensor>> Adapters { get; init; } = new Dictionary<string, nn.Module<Tensor, Tensor>>();

    /// <summary>The adapter called <paramref name="name"/>.</summary>
    /// <exception cref="InvalidOperationException">No adapter of that name was created in <see cref="IDistillationMethod.Setup"/>.</exception>
    public nn.Module<Tensor, Tensor> Adapter(string name) =>
        Adapters.TryGetValue(name, out var adapter)
            ? adapter
            : throw new InvalidOperationException($"no adapter \"{name}\" was created in Setup; created: {(Adapters.Count == 0 ? "none" : string.Join(", ", Adapters.Keys))}");

    /// <summary>True for each sample that has a hard label, [batch], bool.</summary>
    public Tensor HasLabel() => Labels.NotEqualTo(LabelledData.NoLabel);

    /// <summary>
    /// Cross entropy against the hard labels, averaged over the samples that have one; a zero (that
    /// keeps the graph) when none has. Use it for the hard-label term of a method.
    /// </summary>
    public Tensor HardLabelLoss()
    {
        using Tensor mask = HasLabel();
        using Tensor safeLabels = Labels.where(mask, zeros_like(Labels));
        Tensor perSample = nn.functional.cross_entropy(StudentLogits, safeLabels, reduction: nn.Reduction.None);
        using Tensor weights = mask.to_type(perSample.dtype);
        using Tensor count = weights.sum();
        using Tensor divisor = count.AtLeast(1);
        return (perSample * weights).sum() / divisor;
    }
}
