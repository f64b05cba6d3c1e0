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
}
