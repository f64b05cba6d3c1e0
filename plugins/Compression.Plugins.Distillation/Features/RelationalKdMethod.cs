using Compression.Abstractions.Distillation;
using Compression.Abstractions.Stages;
using static TorchSharp.torch;

namespace Compression.Plugins.Distillation.Features;

/// <summary>
/// Relational knowledge distillation, Park, Kim, Lu and Cho 2019, "Relational Knowledge Distillation":
/// the tapped features of a batch are flattened into embeddings ([batch, D], D may differ between the
/// networks) and the student learns the teacher's relations between samples, not its values:
/// <list type="bullet">
/// <item><description><c>distance</c>: Huber (smooth L1) loss between the pairwise Euclidean distances of
/// the two batches, each divided by its mean over the pairs of distinct samples;</description></item>
/// <item><description><c>angle</c>: Huber loss between the cosines of the angles e_i - e_j, e_k - e_j over
/// all triplets.</description></item>
/// </list>
/// Weighted by <c>methodParameters.distance</c> (25) and <c>methodParameters.angle</c> (50), the paper's
/// values, summed over taps, beside KD's soft and hard terms. No adapters.
/// </summary>
public sealed class RelationalKdMethod : IDistillationMethod
{
    /// <summary>Key of the distance weight.</summary>
    public const string DistanceWeightKey = "distance";

    /// <summary>Key of the angle weight.</summary>
    public const string AngleWeightKey = "angle";

    /// <summary>Squared distances are kept at least this before the square root (the reference's eps).</summary>
    private const double MinSquaredDistance = 1e-12;

    private static readonly Dictionary<string, double> s_defaults = new() { [DistanceWeightKey] = 25.0, [AngleWeightKey] = 50.0 };

    public string Name => "rkd";

    public string Description => "Park et al. 2019 (RKD): distance (weight methodParameters.distance, 25) and angle (angle, 50) relations between the batch's tapped embeddings, with KD's soft and hard terms";

    public IReadOnlyList<SettingsError> Validate(DistillationOptions options) => MethodParameters.Validate(Name, options, s_defaults);

    public Tensor Loss(DistillationBatch batch, DistillationOptions options) => LossTerm.Total(LossTerms(batch, options));

    public IReadOnlyList<LossTerm> LossTerms(DistillationBatch batch, DistillationOptions options)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(options);
        if (batch.Features.Count == 0)
        {
            throw new InvalidOperationException("rkd needs at least one tap");
        }
        Tensor? distance = null;
        Tensor? angle = null;
        foreach (TappedFeatures tap in batch.Features)
        {
            Tensor student = tap.Student.flatten(1);
            Tensor teacher = tap.Teacher.flatten(1);
            Tensor d = DistanceLoss(student, teacher);
            Tensor a = AngleLoss(student, teacher);
            distance = distance is null ? d : distance.Plus(d);
            angle = angle is null ? a : angle.Plus(a);
        }
        return
        [
            .. KdTerms.Of(batch, options),
            new LossTerm("distance", distance!.Times(MethodParameters.Get(options, s_defaults, DistanceWeightKey))),
            new LossTerm("angle", angle!.Times(MethodParameters.Get(options, s_defaults, AngleWeightKey))),
        ];
    }

    /// <summary>Smooth L1 between the mean-normalised pairwise distances of the student's and the teacher's embeddings.</summary>
    public static Tensor DistanceLoss(Tensor student, Tensor teacher)
    {
        Tensor teacherDistances = NormalisedDistances(teacher.detach());
        Tensor studentDistances = NormalisedDistances(student);
        return nn.functional.smooth_l1_loss(studentDistances, teacherDistances);
    }

    /// <summary>Smooth L1 between the cosines of every angle (i, j, k) at vertex j, for student and teacher.</summary>
    public static Tensor AngleLoss(Tensor student, Tensor teacher)
    {
        return nn.functional.smooth_l1_loss(Angles(student), Angles(teacher.detach()));
    }

    /// <summary>Pairwise Euclidean distances [n, n] (zero diagonal), divided by their mean over i != j.</summary>
    private static Tensor NormalisedDistances(Tensor embeddings)
    {
        long n = embeddings.shape[0];
        Tensor squares = embeddings.square().sum(1);
        Tensor products = embeddings.matmul(embeddings.t());
        Tensor squared = squares.unsqueeze(1).Plus(squares.unsqueeze(0)) - products.Times(2);
        Tensor offDiagonal = eye(n, dtype: embeddings.dtype).SubtractedFrom(1);
        Tensor distances = squared.AtLeast(MinSquaredDistance).sqrt() * offDiagonal;
        Tensor mean = distances.sum().DividedBy(Math.Max(1, n * (n - 1)));
        return distances / mean;
    }

    /// <summary>cos of the angle at j between e_i - e_j and e_k - e_j, for all i, j, k, flattened.</summary>
    private static Tensor Angles(Tensor embeddings)
    {
        Tensor differences = embeddings.unsqueeze(0) - embeddings.unsqueeze(1);
        Tensor unit = nn.functional.normalize(differences, p: 2, dim: 2);
        return unit.bmm(unit.transpose(1, 2)).flatten();
    }
}
