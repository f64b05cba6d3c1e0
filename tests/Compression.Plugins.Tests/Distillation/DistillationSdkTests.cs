using Compression.Abstractions.Distillation;
using Compression.Plugins.Distillation;
using static TorchSharp.torch;

namespace Compression.Plugins.Tests.Distillation;

/// <summary>The SDK's one way to combine teachers and to find a method by name, which distill and prune share.</summary>
public class DistillationSdkTests
{
    [Fact]
    public void Several_teachers_combine_into_their_weighted_mean_and_keep_each_one()
    {
        using var scope = NewDisposeScope();
        Tensor a = tensor(new[] { 2f, 0f, -1f }, [1, 3]);
        Tensor b = tensor(new[] { 0f, 4f, 1f }, [1, 3]);

        var batch = DistillationBatch.OfTeachers(zeros(1, 3), [a, b], [0.25, 0.75], tensor(new long[] { 0 }));

        Assert.Equal([0.5f, 3f, 0.5f], batch.TeacherLogits.data<float>().ToArray());
        Assert.Same(a, batch.Teachers[0]);
        Assert.Same(b, batch.Teachers[1]);
        Assert.Equal([0.25, 0.75], batch.TeacherWeights);
    }

    [Fact]
    public void One_teacher_is_used_as_it_is()
    {
        using var scope = NewDisposeScope();
        Tensor a = tensor(new[] { 2f, 0f, -1f }, [1, 3]);

        var batch = DistillationBatch.OfTeachers(zeros(1, 3), [a], [1.0], tensor(new long[] { 0 }));

        Assert.Same(a, batch.TeacherLogits);
        Assert.Single(batch.Teachers);
    }

    [Fact]
    public void Teachers_and_weights_must_pair_up()
    {
        using var scope = NewDisposeScope();
        Tensor a = zeros(1, 3);

        Assert.Throws<ArgumentException>(() => DistillationBatch.OfTeachers(zeros(1, 3), [a, a], [1.0], tensor(new long[] { 0 })));
    }

    [Fact]
    public void The_catalog_finds_methods_ignoring_case_and_names_them_all_when_one_is_unknown()
    {
        var catalog = new DistillationMethodCatalog([new MultiTeacherKdMethod(), new HintonKdMethod()]);

        Assert.IsType<HintonKdMethod>(catalog.Find("KD"));
        Assert.Null(catalog.Find("kd2"));
        Assert.Throws<InvalidOperationException>(() => catalog.Get("kd2"));
        Assert.Equal("unknown distillation method \"kd2\": expected \"auto\" or one of kd, multi-teacher", catalog.UnknownMethodMessage("kd2", "\"auto\""));
        Assert.Equal("unknown distillation method \"kd2\": expected one of kd, multi-teacher", catalog.UnknownMethodMessage("kd2"));
    }
}
