using Compression.Abstractions.Data;
using Compression.Data.Batching;

namespace Compression.Data.Tests.Batching;

public sealed class BatchesTests
{
    [Fact]
    public void An_epoch_order_is_a_permutation_fixed_by_seed_and_epoch()
    {
        int[] order = Batches.EpochOrder(100, seed: 7, epoch: 0);

        Assert.Equal(Enumerable.Range(0, 100), order.Order());
        Assert.Equal(order, Batches.EpochOrder(100, seed: 7, epoch: 0));
        Assert.NotEqual(order, Batches.EpochOrder(100, seed: 7, epoch: 1));
        Assert.NotEqual(order, Batches.EpochOrder(100, seed: 8, epoch: 0));
        Assert.NotEqual(Enumerable.Range(0, 100), order);
    }

    [Fact]
    public void Shuffled_batches_cover_the_epoch_order_with_a_short_last_batch()
    {
        ReadOnlyMemory<int>[] batches = [.. Batches.Shuffled(10, 4, seed: 1, epoch: 2)];

        Assert.Equal([4, 4, 2], batches.Select(b => b.Length));
        Assert.Equal(Batches.EpochOrder(10, 1, 2), batches.SelectMany(b => b.ToArray()));
        Assert.Equal(3, Batches.Count(10, 4));
    }

    [Fact]
    public void Drop_last_leaves_out_the_short_batch()
    {
        Assert.Equal([4, 4], Batches.Shuffled(10, 4, seed: 1, epoch: 0, dropLast: true).Select(b => b.Length));
        Assert.Equal(2, Batches.Count(10, 4, dropLast: true));
    }

    [Fact]
    public void Sequential_ranges_cover_every_row_once()
    {
        Assert.Equal([(0, 4), (4, 4), (8, 2)], Batches.Sequential(10, 4));
        Assert.Empty(Batches.Sequential(0, 4));
    }

    [Fact]
    public void Gather_copies_the_chosen_rows_and_labels()
    {
        var data = new LabelledData([0, 1, 10, 11, 20, 21], [2], [5, 6, 7]);
        var features = new float[4];
        var labels = new int[2];

        Batches.Gather(data, [2, 0], features, labels);

        Assert.Equal([20f, 21f, 0f, 1f], features);
        Assert.Equal([7, 5], labels);
    }

    [Fact]
    public void Spread_batches_visit_every_sample_once_and_give_each_batch_its_share_of_labelled_samples()
    {
        // 30 labelled among 500, batches of 64: 8 batches, each with 3 or 4 labelled samples.
        bool[] labelled = Enumerable.Range(0, 500).Select(i => i % 17 == 3 && i < 17 * 30).ToArray();
        int labelledCount = labelled.Count(l => l);
        var batches = Batches.Spread(labelled, 64, seed: 3, epoch: 0).Select(b => b.ToArray()).ToList();

        Assert.Equal(Enumerable.Range(0, 500), batches.SelectMany(b => b).Order());
        Assert.Equal(8, batches.Count);
        Assert.All(batches.Take(7), b => Assert.Equal(64, b.Length));
        foreach (int[] batch in batches)
        {
            double expected = (double)labelledCount * batch.Length / 500;
            Assert.InRange(batch.Count(i => labelled[i]), Math.Floor(expected) - 1, Math.Ceiling(expected) + 1);
        }
    }

    [Fact]
    public void Spread_batches_are_fixed_by_seed_and_epoch()
    {
        bool[] labelled = Enumerable.Range(0, 200).Select(i => i % 5 == 0).ToArray();
        int[] Order(int seed, int epoch) => Batches.Spread(labelled, 32, seed, epoch).SelectMany(b => b.ToArray()).ToArray();

        Assert.Equal(Order(1, 0), Order(1, 0));
        Assert.NotEqual(Order(1, 0), Order(1, 1));
        Assert.NotEqual(Order(1, 0), Order(2, 0));
    }
}
