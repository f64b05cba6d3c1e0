using Compression.Abstractions.Data;
using Compression.Abstractions.Distillation;
using Compression.Plugins.Distillation;
using Microsoft.Extensions.DependencyInjection;
using static TorchSharp.torch;

namespace Compression.Plugins.Tests.Distillation;

public class DecoupledKdMethodTests
{
    // Two samples, four classes; the second sample has no label, so its target is the teacher's argmax (2).
    private static readonly double[][] s_student = [[1.0, 2.0, 0.5, -1.0], [0.0, -0.5, 1.5, 0.3]];
    private static readonly double[][] s_teacher = [[2.0, 1.0, 0.0, -0.5], [0.5, 0.2, 3.0, -1.0]];
    private static readonly long[] s_labels = [1, LabelledData.NoLabel];

    private static double[] Softmax(IEnumerable<double> z, double t)
    {
        double[] e = z.Select(v => Math.Exp(v / t)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    private static double Kl(double[] p, double[] q) => p.Zip(q, (pi, qi) => pi * Math.Log(pi / qi)).Sum();

    /// <summary>
    /// The published formula, term by term, in double precision:
    /// for each sample with target t and p = softmax(z / T) (teacher and student),
    ///   TCKD_i = KL([p_t^T, 1 - p_t^T] || [p_t^S, 1 - p_t^S]),
    ///   NCKD_i = KL(p̂^T || p̂^S), p̂_k = exp(z_k / T) / sum_{j != t} exp(z_j / T) for k != t
    ///            (the softmax over the non-target classes alone, which mdistiller's -1000 mask approximates to e^-1000);
    /// TCKD = T^2 * sum_i TCKD_i / N, NCKD = T^2 * sum_i NCKD_i / N;
    /// CE = cross entropy of softmax(z^S) (T = 1) at the label, averaged over the labelled samples only;
    /// loss = (1 - alpha) * CE + alpha * (a * TCKD + b * NCKD).
    /// </summary>
    private static double Expected(double t, double alpha, double a, double b)
    {
        int n = s_student.Length;
        double tckd = 0, nckd = 0, ce = 0;
        int labelled = 0;
        for (int i = 0; i < n; i++)
        {
            int target = s_labels[i] == LabelledData.NoLabel
                ? Array.IndexOf(s_teacher[i], s_teacher[i].Max())
                : (int)s_labels[i];
            double[] pt = Softmax(s_teacher[i], t);
            double[] ps = Softmax(s_student[i], t);
            tckd += Kl([pt[target], 1 - pt[target]], [ps[target], 1 - ps[target]]);
            double[] nonTargetT = Softmax(s_teacher[i].Where((_, k) => k != target), t);
            double[] nonTargetS = Softmax(s_student[i].Where((_, k) => k != target), t);
            nckd += Kl(nonTargetT, nonTargetS);
            if (s_labels[i] != LabelledData.NoLabel)
            {
                ce -= Math.Log(Softmax(s_student[i], 1)[target]);
                labelled++;
            }
        }
        tckd = tckd * t * t / n;
        nckd = nckd * t * t / n;
        ce /= labelled;
        return ((1 - alpha) * ce) + (alpha * ((a * tckd) + (b * nckd)));
    }

    private static Tensor Logits(double[][] rows, bool requiresGrad = false) =>
        tensor(rows.SelectMany(r => r).Select(v => (float)v).ToArray(), [rows.Length, rows[0].Length]).requires_grad_(requiresGrad);

    [Fact]
    public void Loss_equals_the_published_formula_with_the_teachers_argmax_as_target_of_an_unlabelled_sample()
    {
        using var scope = NewDisposeScope();
        var batch = new DistillationBatch(Logits(s_student), Logits(s_teacher), tensor(s_labels));
        var options = new DistillationOptions(2.0, 0.7, new Dictionary<string, double> { ["alpha"] = 1.5, ["beta"] = 4.0 });

        double actual = new DecoupledKdMethod().Loss(batch, options).item<float>();

        Assert.Equal(Expected(2.0, 0.7, 1.5, 4.0), actual, 1e-5);
    }

    [Fact]
    public void Without_method_parameters_the_weights_are_the_papers_alpha_1_and_beta_8()
    {
        using var scope = NewDisposeScope();
        var batch = new DistillationBatch(Logits(s_student), Logits(s_teacher), tensor(s_labels));
        var options = new DistillationOptions(4.0, 0.5, new Dictionary<string, double>());

        double actual = new DecoupledKdMethod().Loss(batch, options).item<float>();

        Assert.Equal(Expected(4.0, 0.5, 1.0, 8.0), actual, 1e-5);
    }

    [Fact]
    public void Gradients_to_the_student_are_finite_even_against_a_saturated_teacher()
    {
        using var scope = NewDisposeScope();
        double[][] student = [[30.0, -30.0, 0.0, 5.0], [-50.0, 50.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]];
        double[][] teacher = [[100.0, -100.0, -100.0, -100.0], [0.0, 0.0, 200.0, -200.0], [1.0, 2.0, 3.0, 4.0]];
        Tensor studentLogits = Logits(student, requiresGrad: true);
        var batch = new DistillationBatch(studentLogits, Logits(teacher), tensor(new long[] { 0, LabelledData.NoLabel, 3 }));

        Tensor loss = new DecoupledKdMethod().Loss(batch, new DistillationOptions(1.0, 0.9, new Dictionary<string, double>()));
        loss.backward();

        Assert.True(double.IsFinite(loss.item<float>()));
        Assert.True(studentLogits.grad!.isfinite().all().item<bool>());
        Assert.True(studentLogits.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Invalid_options_and_unknown_method_parameters_are_reported_at_their_settings()
    {
        var options = new DistillationOptions(0, 1.5, new Dictionary<string, double>
        {
            ["alpha"] = double.PositiveInfinity,
            ["beta"] = -1,
            ["gamma"] = 2,
        });

        var errors = new DecoupledKdMethod().Validate(options);

        Assert.Equal(["temperature", "alpha", "methodParameters.alpha", "methodParameters.beta", "methodParameters.gamma"], errors.Select(e => e.Path));
        Assert.Contains("alpha or beta", errors[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_options_have_no_errors()
    {
        var options = new DistillationOptions(4, 0.5, new Dictionary<string, double> { ["alpha"] = 0, ["beta"] = 8 });

        Assert.Empty(new DecoupledKdMethod().Validate(options));
    }

    [Fact]
    public void The_distillation_plugin_registers_dkd()
    {
        var services = new ServiceCollection();
        new DistillationPlugin().Configure(services);
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Contains(provider.GetServices<IDistillationMethod>(), m => m.Name == "dkd");
    }
}
