using Compression.Abstractions.Data;
using Compression.Abstractions.Stages;
using Compression.Plugins.Distillation.Augmentation;
using static TorchSharp.torch;

namespace Compression.Plugins.Tests.Augmentation;

public class AugmenterTests
{
    private static readonly int[] s_image = [2, 6, 7];

    private static Tensor Images(int batch, int seed = 1)
    {
        using var generator = new Generator((ulong)seed);
        return rand([batch, .. s_image.Select(d => (long)d)], generator: generator);
    }

    private static Tensor Labels(int batch) => arange(batch, dtype: ScalarType.Int64) % 3;

    public static TheoryData<string> EachAugmentation => ["shift", "flip", "noise", "mixup"];

    private static AugmentSettings Only(string augmentation) => augmentation switch
    {
        "shift" => new AugmentSettings { Shift = 2 },
        "flip" => new AugmentSettings { HorizontalFlip = true },
        "noise" => new AugmentSettings { Noise = 0.3 },
        "mixup" => new AugmentSettings { Mixup = 0.4 },
        _ => throw new ArgumentOutOfRangeException(nameof(augmentation)),
    };

    private static AugmentSettings All() => new() { Shift = 1, HorizontalFlip = true, Noise = 0.1, Mixup = 0.4 };

    [Theory]
    [MemberData(nameof(EachAugmentation))]
    public void Each_augmentation_keeps_the_shape_and_type_of_features_and_labels(string augmentation)
    {
        using var scope = NewDisposeScope();
        Tensor features = Images(8);

        AugmentedBatch result = new Augmenter(Only(augmentation), s_image, seed: 3).Apply(features, Labels(8), step: 0);

        Assert.Equal(features.shape, result.Features.shape);
        Assert.Equal(ScalarType.Float32, result.Features.dtype);
        Assert.Equal([8L], result.Labels.shape);
        Assert.Equal(ScalarType.Int64, result.Labels.dtype);
        Assert.False(result.Features.equal(features).all().item<bool>());
    }

    [Fact]
    public void The_same_seed_and_step_give_the_same_batch_and_another_step_or_seed_another()
    {
        using var scope = NewDisposeScope();
        Tensor features = Images(16);
        Tensor labels = Labels(16);

        AugmentedBatch first = new Augmenter(All(), s_image, seed: 5).Apply(features, labels, step: 7);
        AugmentedBatch again = new Augmenter(All(), s_image, seed: 5).Apply(features, labels, step: 7);
        AugmentedBatch nextStep = new Augmenter(All(), s_image, seed: 5).Apply(features, labels, step: 8);
        AugmentedBatch otherSeed = new Augmenter(All(), s_image, seed: 6).Apply(features, labels, step: 7);

        Assert.True(first.Features.equal(again.Features).all().item<bool>());
        Assert.True(first.Labels.equal(again.Labels).all().item<bool>());
        Assert.False(first.Features.equal(nextStep.Features).all().item<bool>());
        Assert.False(first.Features.equal(otherSeed.Features).all().item<bool>());
    }

    [Fact]
    public void Shift_moves_a_lit_pixel_by_at_most_shift_along_each_axis()
    {
        using var scope = NewDisposeScope();
        const int Batch = 64, Shift = 2;
        Tensor features = zeros(Batch, 1, 9, 9);
        features.narrow(2, 4, 1).narrow(3, 4, 1).fill_(1);

        Tensor shifted = new Augmenter(new AugmentSettings { Shift = Shift }, [1, 9, 9], seed: 1).Apply(features, Labels(Batch), step: 0).Features;

        var moves = new HashSet<(long, long)>();
        for (int i = 0; i < Batch; i++)
        {
            Tensor lit = shifted[i, 0].nonzero();
            Assert.Equal(1, lit.shape[0]);
            long dy = lit[0, 0].item<long>() - 4, dx = lit[0, 1].item<long>() - 4;
            Assert.InRange(dy, -Shift, Shift);
            Assert.InRange(dx, -Shift, Shift);
            Assert.Equal(1f, shifted[i, 0, lit[0, 0].item<long>(), lit[0, 1].item<long>()].item<float>());
            moves.Add((dy, dx));
        }
        Assert.True(moves.Count > 10, $"only {moves.Count} distinct moves in {Batch} samples");
    }

    [Fact]
    public void Shift_pads_with_zeros_and_never_wraps_a_pixel_around_the_border()
    {
        using var scope = NewDisposeScope();
        const int Batch = 64, Shift = 2;
        Tensor features = zeros(Batch, 1, 9, 9);
        features.narrow(2, 0, 1).narrow(3, 0, 1).fill_(1);

        Tensor shifted = new Augmenter(new AugmentSettings { Shift = Shift }, [1, 9, 9], seed: 1).Apply(features, Labels(Batch), step: 0).Features;

        int lost = 0;
        for (int i = 0; i < Batch; i++)
        {
            Tensor lit = shifted[i, 0].nonzero();
            if (lit.shape[0] == 0)
            {
                lost++;
                continue;
            }
            Assert.Equal(1, lit.shape[0]);
            Assert.InRange(lit[0, 0].item<long>(), 0, Shift);
            Assert.InRange(lit[0, 1].item<long>(), 0, Shift);
        }
        Assert.True(lost > 0, "a corner pixel moved outwards should fall off the image");
    }

    [Fact]
    public void Flip_mirrors_the_width_of_some_samples_exactly_and_leaves_the_others()
    {
        using var scope = NewDisposeScope();
        Tensor features = Images(32);

        Tensor flipped = new Augmenter(new AugmentSettings { HorizontalFlip = true }, s_image, seed: 2).Apply(features, Labels(32), step: 4).Features;

        int mirrored = 0, kept = 0;
        for (int i = 0; i < 32; i++)
        {
            if (flipped[i].equal(features[i].flip(2)).all().item<bool>())
            {
                mirrored++;
            }
            else
            {
                Assert.True(flipped[i].equal(features[i]).all().item<bool>());
                kept++;
            }
        }
        Assert.True(mirrored > 0 && kept > 0, $"{mirrored} mirrored, {kept} kept");
    }

    [Fact]
    public void Noise_has_the_standard_deviation_of_the_setting()
    {
        using var scope = NewDisposeScope();
        Tensor features = zeros(1000, 13);

        Tensor noisy = new Augmenter(new AugmentSettings { Noise = 0.5 }, [13], seed: 9).Apply(features, Labels(1000), step: 0).Features;

        Assert.Equal(0.5, noisy.std().item<float>(), 0.02);
        Assert.Equal(0.0, noisy.mean().item<float>(), 0.02);
    }

    [Fact]
    public void Mixup_outputs_convex_combinations_of_two_samples_and_mixed_samples_lose_their_labels()
    {
        using var scope = NewDisposeScope();
        const int Batch = 16;
        // Sample i is the i-th basis vector, so a mix of samples i and j has non-zeros at i and j only.
        Tensor features = eye(Batch);
        Tensor labels = arange(Batch, dtype: ScalarType.Int64);

        AugmentedBatch mixed = new Augmenter(new AugmentSettings { Mixup = 1.0 }, [Batch], seed: 4).Apply(features, labels, step: 0);

        float[,] rows = new float[Batch, Batch];
        float[] values = mixed.Features.data<float>().ToArray();
        long[] newLabels = mixed.Labels.data<long>().ToArray();
        int lostLabels = 0;
        for (int i = 0; i < Batch; i++)
        {
            float[] row = values.Skip(i * Batch).Take(Batch).ToArray();
            Assert.All(row, v => Assert.InRange(v, 0f, 1f));
            Assert.Equal(1.0, row.Sum(), 1e-5);
            int[] others = Enumerable.Range(0, Batch).Where(j => j != i && row[j] != 0).ToArray();
            Assert.True(others.Length <= 1, $"row {i} mixes more than two samples");
            if (others.Length == 1)
            {
                Assert.Equal(1.0, row[i] + row[others[0]], 1e-5);
                Assert.Equal(LabelledData.NoLabel, newLabels[i]);
            }
            if (newLabels[i] == LabelledData.NoLabel)
            {
                lostLabels++;
            }
            else
            {
                Assert.Equal(i, newLabels[i]);
            }
        }
        Assert.True(lostLabels > Batch / 2, $"only {lostLabels} of {Batch} samples were mixed");
    }

    [Fact]
    public void With_every_augmentation_off_the_batch_is_unchanged()
    {
        using var scope = NewDisposeScope();
        Tensor features = Images(8);
        Tensor labels = Labels(8);
        var augmenter = new Augmenter(new AugmentSettings(), s_image, seed: 1);

        AugmentedBatch result = augmenter.Apply(features, labels, step: 3);

        Assert.True(augmenter.IsIdentity);
        Assert.False(augmenter.ChangesLabels);
        Assert.True(result.Features.equal(features).all().item<bool>());
        Assert.True(result.Labels.equal(labels).all().item<bool>());
    }

    [Fact]
    public void Only_mixup_changes_labels()
    {
        Assert.True(new Augmenter(new AugmentSettings { Mixup = 0.2 }, [13], seed: 1).ChangesLabels);
        Assert.False(new Augmenter(new AugmentSettings { Noise = 0.2, Shift = 1, HorizontalFlip = true }, s_image, seed: 1).ChangesLabels);
        Assert.False(new Augmenter(new AugmentSettings { Noise = 0.2 }, [13], seed: 1).IsIdentity);
    }

    [Fact]
    public void Apply_leaves_only_its_two_results_in_the_callers_dispose_scope()
    {
        using var scope = NewDisposeScope();
        Tensor features = Images(8);
        Tensor labels = Labels(8);
        int before = scope.DisposablesCount;

        AugmentedBatch result = new Augmenter(All(), s_image, seed: 1).Apply(features, labels, step: 0);

        Assert.Equal(before + 2, scope.DisposablesCount);
        Assert.False(result.Features.IsInvalid);
        Assert.False(result.Labels.IsInvalid);
    }

    [Fact]
    public void Shift_and_flip_on_samples_that_are_not_images_are_errors_at_their_settings()
    {
        var errors = Augmenter.Validate(new AugmentSettings { Shift = 2, HorizontalFlip = true }, [13]).ToList();

        Assert.Equal(["augment.shift", "augment.horizontalFlip"], errors.Select(e => e.Path));
        Assert.Equal("applies to image samples [channels, height, width]; these samples are [13]", errors[0].Message);
    }

    [Fact]
    public void A_shift_as_large_as_the_image_is_an_error()
    {
        var errors = Augmenter.Validate(new AugmentSettings { Shift = 6 }, s_image).ToList();

        AssertSingleError(errors, "augment.shift", "[2, 6, 7]");
        Assert.Empty(Augmenter.Validate(new AugmentSettings { Shift = 5 }, s_image));
    }

    [Fact]
    public void Out_of_range_values_are_errors_with_the_range()
    {
        var errors = Augmenter.Validate(new AugmentSettings { Noise = -1, Mixup = double.NaN }, [13]).ToList();

        Assert.Equal(["augment.mixup", "augment.noise"], errors.Select(e => e.Path).Order(StringComparer.Ordinal));
        Assert.All(errors, e => Assert.Equal("must be in [0, 100]", e.Message));
        Assert.Throws<ArgumentException>(() => new Augmenter(new AugmentSettings { Noise = -1 }, [13], seed: 1));
    }

    private static void AssertSingleError(List<SettingsError> errors, string path, string fragment)
    {
        var error = Assert.Single(errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }
}
