using Compression.Abstractions.Distillation;
using Compression.Plugins.Distillation;
using static TorchSharp.torch;

namespace Compression.Plugins.Tests.Distillation;

public class HintonKdMethodTests
{
    private static double Loss(float[] student, float[] teacher, long[] labels, double t, double alpha)
    {
        using var scope = NewDisposeScope();
        var batch = new DistillationBatch(tensor(student, [2, 3]), tensor(teacher, [2, 3]), tensor(labels));
        return new HintonKdMethod().Loss(batch, new DistillationOptions(t, alpha, new Dictionary<string, double>())).item<float>();
    }

    private static double[] Softmax(double[] z, double t)
    {
        double[] e = z.Select(v => Math.Exp(v / t)).ToArray();
        return e.Select(v => v / e.Sum()).ToArray();
    }

    [Fact]
    public void Soft_term_is_T_squared_times_the_batch_mean_KL()
    {
        float[] student = [1f, 2f, 0.5f, -1f, 0f, 1f];
        float[] teacher = [2f, 1f, 0f, 0f, 0f, 3f];
        const double T = 2;
        double expected = 0;
        for (int row = 0; row < 2; row++)
        {
            double[] p = Softmax(teacher.Skip(row * 3).Take(3).Select(v => (double)v).ToArray(), T);
            double[] q = Softmax(student.Skip(row * 3).Take(3).Select(v => (double)v).ToArray(), T);
            expected += p.Zip(q, (pi, qi) => pi * Math.Log(pi / qi)).Sum();
        }
        expected = expected / 2 * T * T;
        Assert.Equal(expected, Loss(student, teacher, [0, 2], T, alpha: 1), precision: 5);
    }

    [Fact]
    public void Alpha_zero_is_plain_cross_entropy()
    {
        float[] student = [1f, 2f, 0.5f, -1f, 0f, 1f];
        double expected = (-Math.Log(Softmax([1, 2, 0.5], 1)[0]) - Math.Log(Softmax([-1, 0, 1], 1)[2])) / 2;
        Assert.Equal(expected, Loss(student, [9f, 9f, 9f, 9f, 9f, 9f], [0, 2], 4, alpha: 0), precision: 5);
    }

    [Fact]
    public void A_student_equal_to_its_teacher_has_no_soft_loss()
    {
        float[] same = [1f, 2f, 0.5f, -1f, 0f, 1f];
        Assert.Equal(0, Loss(same, same, [0, 2], 3, alpha: 1), precision: 6);
    }

    [Fact]
    public void Invalid_options_are_reported_at_their_settings()
    {
        var errors = new HintonKdMethod().Validate(new DistillationOptions(0, 1.5, new Dictionary<string, double>()));
        Assert.Equal(["temperature", "alpha"], errors.Select(e => e.Path));
    }
}
