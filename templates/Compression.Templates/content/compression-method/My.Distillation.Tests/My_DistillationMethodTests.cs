using Compression.Abstractions.Data;
using Compression.Abstractions.Distillation;
using My.Distillation;
using static TorchSharp.torch;

namespace My.Distillation.Tests;

public class My_DistillationMethodTests
{
    private static readonly DistillationOptions s_options = new(Temperature: 2.0, Alpha: 0.7, Parameters: new Dictionary<string, double>());

    [Fact]
    public void The_loss_equals_the_formula_computed_by_hand()
    {
        float[] student = [1.0f, 0.0f, -1.0f, 0.5f, 0.5f, 0.0f];
        float[] teacher = [2.0f, 0.5f, -0.5f, 0.0f, 1.0f, 0.0f];
        long[] labels = [0, 1];
        using var scope = NewDisposeScope();
        var batch = new DistillationBatch(tensor(student).reshape(2, 3), tensor(teacher).reshape(2, 3), tensor(labels));

        double loss = new My_DistillationMethod().Loss(batch, s_options).item<float>();

        Assert.Equal(Expected(student, teacher, labels, s_options), loss, precision: 5);
    }

    [Fact]
    public void A_batch_without_labels_has_only_the_soft_term_and_no_NaN()
    {
        using var scope = NewDisposeScope();
        var batch = new DistillationBatch(
            tensor(new float[] { 1, 0, -1 }).reshape(1, 3), tensor(new float[] { 2, 0.5f, -0.5f }).reshape(1, 3),
            tensor(new long[] { LabelledData.NoLabel }));

        double loss = new My_DistillationMethod().Loss(batch, s_options).item<float>();

        Assert.Equal(Expected([1, 0, -1], [2, 0.5f, -0.5f], [LabelledData.NoLabel], s_options), loss, precision: 5);
    }

    [Fact]
    public void The_loss_is_the_sum_of_its_named_terms()
    {
        using var scope = NewDisposeScope();
        var batch = new DistillationBatch(
            tensor(new float[] { 1, 0, -1 }).reshape(1, 3), tensor(new float[] { 2, 0.5f, -0.5f }).reshape(1, 3), tensor(new long[] { 1 }));
        var method = new My_DistillationMethod();

        var terms = method.LossTerms(batch, s_options);

        Assert.Equal(["soft", "hard"], terms.Select(t => t.Name));
        Assert.Equal(method.Loss(batch, s_options).item<float>(), terms.Sum(t => t.Value.item<float>()), precision: 5);
    }

    [Fact]
    public void The_loss_has_gradients_to_the_student()
    {
        using var scope = NewDisposeScope();
        Tensor student = tensor(new float[] { 1, 0, -1 }).reshape(1, 3).requires_grad_();
        var batch = new DistillationBatch(student, tensor(new float[] { 2, 0.5f, -0.5f }).reshape(1, 3), tensor(new long[] { 2 }));

        new My_DistillationMethod().Loss(batch, s_options).backward();

        Assert.NotNull(student.grad);
        Assert.True(student.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Options_out_of_range_are_reported_at_their_setting()
    {
        var errors = new My_DistillationMethod().Validate(s_options with { Alpha = 1.5, Temperature = 0 });

        Assert.Equal(["alpha", "temperature"], errors.Select(e => e.Path).Order());
    }

    // alpha * T^2 * mean over samples of KL(softmax(teacher/T) || softmax(student/T))
    // + (1 - alpha) * mean over labelled samples of -log softmax(student)[label], in double.
    private static double Expected(float[] student, float[] teacher, long[] labels, DistillationOptions options)
    {
        int classes = student.Length / labels.Length;
        double t = options.Temperature, kl = 0, hard = 0;
        int labelled = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            double[] s = student.Skip(i * classes).Take(classes).Select(v => (double)v).ToArray();
            double[] q = teacher.Skip(i * classes).Take(classes).Select(v => (double)v).ToArray();
            double[] ps = Softmax(s.Select(v => v / t).ToArray()), pt = Softmax(q.Select(v => v / t).ToArray());
            kl += pt.Select((p, c) => p * Math.Log(p / ps[c])).Sum();
            if (labels[i] != LabelledData.NoLabel)
            {
                hard -= Math.Log(Softmax(s)[labels[i]]);
                labelled++;
            }
        }
        return (options.Alpha * t * t * kl / labels.Length) + ((1 - options.Alpha) * (labelled == 0 ? 0 : hard / labelled));
    }

    private static double[] Softmax(double[] x)
    {
        double max = x.Max();
        double[] e = x.Select(v => Math.Exp(v - max)).ToArray();
        return e.Select(v => v / e.Sum()).ToArray();
    }
}
