using Compression.Abstractions.Distillation;
using Compression.Plugins.Distillation.Features;
using static TorchSharp.torch;

namespace Compression.Plugins.Tests.Distillation;

/// <summary>The feature methods' terms on tiny cases computed by hand (plain doubles, not the method's code).</summary>
public class FeatureMethodTests
{
    private static readonly FeatureTap s_tap = new("s", "t");

    private static DistillationOptions Options(params (string Key, double Value)[] parameters) =>
        new(4, 0, parameters.ToDictionary(p => p.Key, p => p.Value)) { Taps = [s_tap] };

    /// <summary>A batch whose logits make the KD terms irrelevant (alpha 0 keeps only cross entropy, checked apart).</summary>
    private static DistillationBatch Batch(Tensor student, Tensor teacher, IReadOnlyDictionary<string, nn.Module<Tensor, Tensor>>? adapters = null)
    {
        long n = student.shape[0];
        return new DistillationBatch(zeros(n, 3), zeros(n, 3), zeros(n, dtype: ScalarType.Int64))
        {
            Features = [new TappedFeatures(s_tap, student, teacher)],
            Adapters = adapters ?? new Dictionary<string, nn.Module<Tensor, Tensor>>(),
        };
    }

    private static double Term(IReadOnlyList<LossTerm> terms, string name) => terms.Single(t => t.Name == name).Value.item<float>();

    [Fact]
    public void FitNets_hint_is_the_mean_squared_error_of_the_regressed_student_feature()
    {
        using var scope = NewDisposeScope();
        // Student [2 channels, 1x2], teacher [3 channels, 1x2]; regressor weights W (3x2) set by hand.
        float[] s = [1, 2, 3, 4];            // channel 0: (1, 2), channel 1: (3, 4)
        float[] t = [1, 0, 0, 1, 2, 2];      // channels (1,0), (0,1), (2,2)
        double[,] w = { { 1, 0 }, { 0, 1 }, { 0.5, 0.5 } };
        var conv = nn.Conv2d(2, 3, 1, bias: false);
        using (no_grad())
        {
            conv.weight!.copy_(tensor(new float[] { 1, 0, 0, 1, 0.5f, 0.5f }, [3, 2, 1, 1]));
        }
        double sum = 0;
        for (int c = 0; c < 3; c++)
        {
            for (int x = 0; x < 2; x++)
            {
                double regressed = (w[c, 0] * s[x]) + (w[c, 1] * s[2 + x]);
                sum += Math.Pow(regressed - t[(c * 2) + x], 2);
            }
        }
        double expected = 3 * sum / 6; // beta 3, mean over 6 values
        var batch = Batch(tensor(s, [1, 2, 1, 2]), tensor(t, [1, 3, 1, 2]), new Dictionary<string, nn.Module<Tensor, Tensor>> { ["hint0"] = conv });
        var terms = new FitNetsMethod().LossTerms(batch, Options(("beta", 3)));
        Assert.Equal(expected, Term(terms, "hint"), precision: 5);
        Assert.Equal(["hard", "soft", "hint"], terms.Select(x => x.Name));
    }

    [Fact]
    public void Attention_compares_L2_normalised_channel_means_of_squares()
    {
        using var scope = NewDisposeScope();
        // One sample, 2x1x2 student and 1x1x2 teacher: maps over the 2 positions.
        float[] s = [1, 2, 3, 0];   // squares mean over channels: ((1+9)/2, (4+0)/2) = (5, 2)
        float[] t = [2, 2];         // (4, 4)
        double[] sm = [5, 2];
        double[] tm = [4, 4];
        double sn = Math.Sqrt(25 + 4), tn = Math.Sqrt(32);
        double expected = 1000 * (Math.Pow((sm[0] / sn) - (tm[0] / tn), 2) + Math.Pow((sm[1] / sn) - (tm[1] / tn), 2)) / 2;
        var terms = new AttentionTransferMethod().LossTerms(Batch(tensor(s, [1, 2, 1, 2]), tensor(t, [1, 1, 1, 2])), Options());
        Assert.Equal(expected, Term(terms, "attention"), precision: 4);
    }

    [Fact]
    public void Attention_is_zero_for_maps_of_the_same_shape_up_to_scale()
    {
        using var scope = NewDisposeScope();
        var terms = new AttentionTransferMethod().LossTerms(Batch(tensor(new float[] { 1, 2, 3, 4 }, [1, 1, 2, 2]), tensor(new float[] { 2, 4, 6, 8 }, [1, 1, 2, 2])), Options());
        Assert.Equal(0, Term(terms, "attention"), precision: 6);
    }

    [Fact]
    public void Rkd_is_zero_for_a_scaled_copy_of_the_teachers_embeddings()
    {
        using var scope = NewDisposeScope();
        float[] teacher = [0, 0, 3, 0, 0, 4];
        float[] student = teacher.Select(v => v * 2.5f).ToArray();
        var terms = new RelationalKdMethod().LossTerms(Batch(tensor(student, [3, 2]), tensor(teacher, [3, 2])), Options());
        Assert.Equal(0, Term(terms, "distance"), precision: 5);
        Assert.Equal(0, Term(terms, "angle"), precision: 5);
    }

    [Fact]
    public void Rkd_distance_and_angle_terms_match_a_hand_computation()
    {
        using var scope = NewDisposeScope();
        double[][] teacher = [[0, 0], [3, 0], [0, 4]];
        double[][] student = [[0, 0], [2, 0], [0, 0.5]];
        double distance = 0;
        double[,] td = Normalised(teacher), sd = Normalised(student);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                distance += Huber(sd[i, j] - td[i, j]);
            }
        }
        distance /= 9;
        double angle = 0;
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                for (int k = 0; k < 3; k++)
                {
                    angle += Huber(Cos(student, i, j, k) - Cos(teacher, i, j, k));
                }
            }
        }
        angle /= 27;
        var terms = new RelationalKdMethod().LossTerms(
            Batch(tensor(student.SelectMany(r => r.Select(v => (float)v)).ToArray(), [3, 2]), tensor(teacher.SelectMany(r => r.Select(v => (float)v)).ToArray(), [3, 2])),
            Options(("distance", 2), ("angle", 3)));
        Assert.Equal(2 * distance, Term(terms, "distance"), precision: 5);
        Assert.Equal(3 * angle, Term(terms, "angle"), precision: 5);
        Assert.True(distance > 0.01 && angle > 0.01, $"distance {distance}, angle {angle}: the case must not be trivially zero");
    }

    [Fact]
    public void Feature_methods_need_taps_and_know_their_parameters()
    {
        var noTaps = new DistillationOptions(4, 0.9, new Dictionary<string, double> { ["gamma"] = 1 });
        var errors = new FitNetsMethod().Validate(noTaps);
        Assert.Contains(errors, e => e.Path == "taps");
        Assert.Contains(errors, e => e.Path == "methodParameters.gamma" && e.Message.Contains("expected beta", StringComparison.Ordinal));
        Assert.Contains(new RelationalKdMethod().Validate(Options(("distance", -1))), e => e.Path == "methodParameters.distance");
        Assert.Empty(new AttentionTransferMethod().Validate(Options(("beta", 10))));
    }

    private static double[,] Normalised(double[][] points)
    {
        var d = new double[3, 3];
        double sum = 0;
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                d[i, j] = Math.Sqrt(Math.Pow(points[i][0] - points[j][0], 2) + Math.Pow(points[i][1] - points[j][1], 2));
                sum += d[i, j];
            }
        }
        double mean = sum / 6;
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                d[i, j] /= mean;
            }
        }
        return d;
    }

    /// <summary>Cosine of the angle at j between e_i - e_j and e_k - e_j (0 when either is the zero vector, as normalize gives).</summary>
    private static double Cos(double[][] e, int i, int j, int k)
    {
        double[] a = [e[i][0] - e[j][0], e[i][1] - e[j][1]];
        double[] b = [e[k][0] - e[j][0], e[k][1] - e[j][1]];
        double na = Math.Sqrt((a[0] * a[0]) + (a[1] * a[1])), nb = Math.Sqrt((b[0] * b[0]) + (b[1] * b[1]));
        return na == 0 || nb == 0 ? 0 : ((a[0] * b[0]) + (a[1] * b[1])) / (na * nb);
    }

    private static double Huber(double x) => Math.Abs(x) < 1 ? 0.5 * x * x : Math.Abs(x) - 0.5;
}
