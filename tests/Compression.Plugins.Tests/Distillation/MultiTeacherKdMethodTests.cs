using Compression.Abstractions.Data;
using Compression.Abstractions.Distillation;
using Compression.Plugins.Distillation;
using static TorchSharp.torch;

namespace Compression.Plugins.Tests.Distillation;

public class MultiTeacherKdMethodTests
{
    private static readonly DistillationOptions s_options = new(2, 1, new Dictionary<string, double>());

    private static double[] Softmax(IEnumerable<float> z, double t)
    {
        double[] e = z.Select(v => Math.Exp(v / t)).ToArray();
        return e.Select(v => v / e.Sum()).ToArray();
    }

    [Fact]
    public void Soft_targets_are_the_weighted_mean_of_the_teachers_probabilities_at_T()
    {
        using var scope = NewDisposeScope();
        float[] a = [2f, 0f, -1f];
        float[] b = [0f, 3f, 1f];
        var batch = new DistillationBatch(zeros(1, 3), tensor(a, [1, 3]), tensor(new long[] { 0 }))
        {
            Teachers = [tensor(a, [1, 3]), tensor(b, [1, 3])],
            TeacherWeights = [0.25, 0.75],
        };
        float[] target = MultiTeacherKdMethod.SoftTargets(batch, 2).data<float>().ToArray();

        double[] pa = Softmax(a, 2);
        double[] pb = Softmax(b, 2);
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal((0.25 * pa[c]) + (0.75 * pb[c]), target[c], precision: 6);
        }
    }

    [Fact]
    public void The_loss_is_T_squared_KL_from_the_mixture_and_ignores_unlabelled_rows_in_the_hard_term()
    {
        using var scope = NewDisposeScope();
        float[] student = [0.5f, 1f, -0.5f];
        float[] a = [2f, 0f, -1f];
        float[] b = [0f, 3f, 1f];
        var batch = new DistillationBatch(tensor(student, [1, 3]), tensor(a, [1, 3]), tensor(new long[] { LabelledData.NoLabel }))
        {
            Teachers = [tensor(a, [1, 3]), tensor(b, [1, 3])],
            TeacherWeights = [0.5, 0.5],
        };
        double[] pa = Softmax(a, 2);
        double[] pb = Softmax(b, 2);
        double[] q = Softmax(student, 2);
        double expected = 4 * Enumerable.Range(0, 3).Sum(c => ((pa[c] + pb[c]) / 2) * Math.Log((pa[c] + pb[c]) / 2 / q[c]));

        // alpha 0.5: half the soft term, and the hard term of a batch with no label is zero.
        double loss = new MultiTeacherKdMethod().Loss(batch, s_options with { Alpha = 0.5 }).item<float>();
        Assert.Equal(expected * 0.5, loss, precision: 5);
    }

    [Fact]
    public void With_one_teacher_it_equals_kd()
    {
        using var scope = NewDisposeScope();
        var batch = new DistillationBatch(tensor(new[] { 1f, 2f, 0.5f, -1f, 0f, 1f }, [2, 3]), tensor(new[] { 2f, 1f, 0f, 0f, 0f, 3f }, [2, 3]), tensor(new long[] { 0, 2 }));
        var options = new DistillationOptions(3, 0.7, new Dictionary<string, double>());
        Assert.Equal(new HintonKdMethod().Loss(batch, options).item<float>(), new MultiTeacherKdMethod().Loss(batch, options).item<float>(), precision: 5);
    }

    [Fact]
    public void The_hard_label_loss_averages_over_labelled_rows_only()
    {
        using var scope = NewDisposeScope();
        Tensor logits = tensor(new[] { 2f, 0f, 0f, 1f, 0f, 3f }, [2, 3]);
        var onlyFirst = new DistillationBatch(logits, logits, tensor(new long[] { 0, LabelledData.NoLabel }));
        var first = new DistillationBatch(logits.narrow(0, 0, 1), logits.narrow(0, 0, 1), tensor(new long[] { 0 }));
        var none = new DistillationBatch(logits, logits, tensor(new long[] { LabelledData.NoLabel, LabelledData.NoLabel }));

        Assert.Equal(first.HardLabelLoss().item<float>(), onlyFirst.HardLabelLoss().item<float>(), precision: 6);
        Assert.Equal(0f, none.HardLabelLoss().item<float>());
    }
}
