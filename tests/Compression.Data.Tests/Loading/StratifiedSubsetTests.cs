using Compression.Data.Loading;

namespace Compression.Data.Tests.Loading;

public class StratifiedSubsetTests
{
    [Fact]
    public void Quotas_are_proportional_with_the_largest_remainders_rounded_up_and_ties_to_the_lower_class()
    {
        // Shares of 5 over classes of 5, 3 and 2 rows: 2.5, 1.5, 1.0.
        int[] labels = [0, 0, 0, 0, 0, 1, 1, 1, 2, 2];

        Assert.Equal([(0, 3), (1, 1), (2, 1)], Pairs(StratifiedSubset.Quotas(labels, 5)));
        Assert.Equal([(0, 4), (1, 2), (2, 1)], Pairs(StratifiedSubset.Quotas(labels, 7)));
    }

    [Fact]
    public void Every_class_gets_a_row_when_the_count_allows_it_taken_from_the_class_most_above_its_share()
    {
        int[] labels = [.. Enumerable.Repeat(0, 97), 1, 1, 2];

        Assert.Equal([(0, 1), (1, 1), (2, 1)], Pairs(StratifiedSubset.Quotas(labels, 3)));
        Assert.Equal([(0, 2), (1, 1), (2, 1)], Pairs(StratifiedSubset.Quotas(labels, 4)));
        Assert.Equal([(0, 2), (1, 0), (2, 0)], Pairs(StratifiedSubset.Quotas(labels, 2)));
    }

    [Fact]
    public void Quotas_skip_classes_with_no_rows()
    {
        int[] labels = [4, 4, 1, 1];

        Assert.Equal([(1, 1), (4, 1)], Pairs(StratifiedSubset.Quotas(labels, 2)));
    }

    [Fact]
    public void Choose_keeps_each_class_quota_and_returns_both_lists_in_file_order()
    {
        int[] labels = [.. Enumerable.Range(0, 60).Select(i => i % 3 == 0 ? 1 : 0)];

        (int[] kept, int[] hidden) = StratifiedSubset.Choose(labels, 12, seed: 5);

        Assert.Equal(8, kept.Count(row => labels[row] == 0));
        Assert.Equal(4, kept.Count(row => labels[row] == 1));
        Assert.Equal(kept.Order(), kept);
        Assert.Equal(hidden.Order(), hidden);
        Assert.Equal(Enumerable.Range(0, 60), kept.Concat(hidden).Order());
        Assert.Equal(kept, StratifiedSubset.Choose(labels, 12, seed: 5).Kept);
        Assert.NotEqual(kept, StratifiedSubset.Choose(labels, 12, seed: 6).Kept);
    }

    [Fact]
    public void Choosing_the_labelled_rows_does_not_reuse_the_validation_shuffle()
    {
        int[] labels = new int[40];
        int[] firstByValidationShuffle = DataSetLoader.SplitRows(40, 0.25, seed: 9).Validation;

        int[] kept = StratifiedSubset.Choose(labels, 10, seed: 9).Kept;

        Assert.NotEqual(firstByValidationShuffle, kept);
    }

    private static (int Class, int Quota)[] Pairs(SortedDictionary<int, int> quotas) =>
        [.. quotas.Select(pair => (pair.Key, pair.Value))];
}
