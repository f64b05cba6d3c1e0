using Compression.Plugins.Distillation.TinyBert;
using static TorchSharp.torch;

namespace Compression.Plugins.Tests.Distillation.TinyBert;

public sealed class TinyBertLossesTests
{
    // Two samples of length 4; the second has two padding positions.
    private static Tensor Mask() => tensor(new float[] { 1, 1, 1, 1, 1, 1, 0, 0 }, [2, 4, 1]);

    [Fact]
    public void Identical_attention_maps_cost_zero_and_different_ones_a_positive_amount()
    {
        manual_seed(1);
        using Tensor maps = randn(2, 3, 4, 4).softmax(-1);
        using Tensor other = randn(2, 3, 4, 4).softmax(-1);
        using Tensor mask = Mask();

        using Tensor same = TinyBertLosses.Attention(maps, maps.clone(), mask);
        using Tensor different = TinyBertLosses.Attention(maps, other, mask);

        Assert.Equal(0f, same.item<float>());
        Assert.True(different.item<float>() > 1e-3f, $"{different.item<float>()}");
    }

    [Fact]
    public void Attention_rows_of_padding_queries_are_left_out()
    {
        manual_seed(2);
        using Tensor maps = randn(2, 3, 4, 4).softmax(-1);
        using Tensor changed = maps.clone();
        // Only the padding queries (rows 2 and 3 of sample 1) differ.
        changed[1, TensorIndex.Colon, TensorIndex.Slice(2, 4), TensorIndex.Colon] = full(3, 2, 4, 0.25f);
        using Tensor mask = Mask();

        using Tensor loss = TinyBertLosses.Attention(maps, changed, mask);

        Assert.Equal(0f, loss.item<float>());
    }

    [Fact]
    public void Different_head_counts_compare_head_averaged_maps()
    {
        manual_seed(3);
        using Tensor teacher = randn(2, 4, 4, 4).softmax(-1);
        using Tensor averaged = teacher.mean([1], keepdim: true).expand(2, 2, 4, 4).contiguous();
        using Tensor mask = Mask();

        using Tensor loss = TinyBertLosses.Attention(averaged, teacher, mask);

        Assert.True(loss.item<float>() < 1e-12f, $"{loss.item<float>()}");
    }

    [Fact]
    public void Hidden_state_loss_is_the_mean_square_over_tokens_and_its_gradient_reaches_the_projection_and_the_student()
    {
        manual_seed(4);
        using Tensor student = randn(2, 4, 3).requires_grad_(true);
        using Tensor teacher = randn(2, 4, 5);
        using Tensor mask = Mask();
        using var projection = nn.Linear(3, 5);

        using Tensor loss = TinyBertLosses.Hidden(student, teacher, mask, projection);
        loss.backward();

        using Tensor projected = projection.forward(student).detach();
        using Tensor squared = (projected - teacher).square();
        using Tensor tokens = squared.narrow(1, 0, 4)[0].sum() + squared[1].narrow(0, 0, 2).sum();
        Assert.Equal(tokens.item<float>() / (6 * 5), loss.item<float>(), 5);
        Assert.True(projection.weight!.grad is Tensor g && g.abs().sum().item<float>() > 0);
        Assert.True(student.grad is Tensor s && s.abs().sum().item<float>() > 0);
        // Padding tokens get no gradient.
        Assert.Equal(0f, student.grad![1, 2].abs().sum().item<float>());
    }

    [Fact]
    public void Hidden_states_equal_to_the_teachers_cost_zero()
    {
        manual_seed(5);
        using Tensor states = randn(2, 4, 6);
        using Tensor mask = Mask();

        using Tensor loss = TinyBertLosses.Hidden(states, states.clone(), mask, projection: null);

        Assert.Equal(0f, loss.item<float>());
    }
}
