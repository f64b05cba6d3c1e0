using Compression.Core.Running;

namespace Compression.Core.Tests.Running;

public class CollapsedModelTests
{
    /// <summary>Logits that make <paramref name="predicted"/>[i] the arg-max of sample i (3 classes).</summary>
    private static float[] Logits(int[] predicted) =>
        [.. predicted.SelectMany(p => Enumerable.Range(0, 3).Select(c => c == p ? 5f : 0f))];

    [Fact]
    public void A_model_that_answers_one_class_for_every_sample_at_chance_learned_nothing()
    {
        int[] labels = [.. Enumerable.Range(0, 300).Select(i => i % 3)];

        string? reason = CollapsedModel.Check(Logits(new int[300]), labels, 3);

        Assert.Equal("answers class 0 for 100% of the 300 test samples and is 33.33% accurate, no better than always answering the most common class (33.33%): it learned nothing (training diverged; a learning rate far too high is the usual cause)", reason);
    }

    [Fact]
    public void A_useful_model_on_imbalanced_data_is_not_collapsed_though_barely_above_the_majority()
    {
        // 95% of the labels are class 0; the model is right on all of them and on 6 of the 15 others.
        int[] labels = [.. Enumerable.Range(0, 300).Select(i => i < 285 ? 0 : 1 + (i % 2))];
        int[] predicted = [.. labels.Select((l, i) => i < 291 ? l : 0)];

        Assert.Null(CollapsedModel.Check(Logits(predicted), labels, 3));
        Assert.Null(CollapsedModel.Check(Logits(labels), labels, 3));
    }

    [Fact]
    public void A_model_that_answers_one_class_but_beats_the_majority_rate_is_not_collapsed()
    {
        // One class for 99% of samples, but that is the labels' own share and it is right on the rest.
        int[] labels = [.. Enumerable.Range(0, 1000).Select(i => i < 995 ? 2 : 1)];
        int[] predicted = [.. labels.Select((l, i) => i < 998 ? l : 2)];

        Assert.Null(CollapsedModel.Check(Logits(predicted), labels, 3));
    }
}
