using Compression.Abstractions.Data;
using Compression.Data.Formats;

namespace Compression.Data.Tests.Rows;

/// <summary>The row stores behind <see cref="LabelledData"/>: in memory, in a file, and the views over them read the same rows.</summary>
public sealed class RowStoreTests : IDisposable
{
    private const int SampleSize = 3;

    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>Row r holds r*10, r*10+1, r*10+2.</summary>
    private static float[] Values(int rows) => [.. Enumerable.Range(0, rows * SampleSize).Select(i => (float)(((i / SampleSize) * 10) + (i % SampleSize)))];

    /// <summary>The values written after a 5-byte header, opened as a file store.</summary>
    private FileRowStore InFile(float[] values, bool deleteWhenClosed = false)
    {
        string path = _files.PathOf($"{Guid.NewGuid():N}.rows");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5, .. System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray()]);
        return FileRowStore.Open(path, 5, values.Length / SampleSize, SampleSize, deleteWhenClosed);
    }

    private static float[] Read(RowStore store, int start, int count)
    {
        var rows = new float[count * store.SampleSize];
        store.CopyRows(start, count, rows);
        return rows;
    }

    [Fact]
    public void A_file_store_reads_the_same_rows_as_the_array_it_was_written_from()
    {
        float[] values = Values(7);
        RowStore memory = RowStore.InMemory(values, SampleSize);
        FileRowStore file = InFile(values);

        Assert.Equal(7, file.Count);
        Assert.Null(file.InMemoryArray);
        Assert.Same(values, memory.InMemoryArray);
        for (int start = 0; start < 7; start++)
        {
            for (int count = 0; start + count <= 7; count++)
            {
                Assert.Equal(Read(memory, start, count), Read(file, start, count));
            }
        }
    }

    [Fact]
    public void A_temporary_file_store_leaves_no_file_behind_on_unix_and_still_reads()
    {
        FileRowStore file = InFile(Values(4), deleteWhenClosed: true);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Empty(Directory.GetFiles(_files.Folder));
        }
        Assert.Equal([30, 31, 32], Read(file, 3, 1));
    }

    [Fact]
    public void A_file_shorter_than_its_rows_is_refused_when_opened()
    {
        string path = _files.WriteBytes("short.rows", new byte[(4 * SampleSize * 2) - 1]);

        var error = Assert.Throws<InvalidDataException>(() => FileRowStore.Open(path, 0, 2, SampleSize, deleteWhenClosed: false));

        Assert.Contains("need 24", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Selected_concatenated_and_transformed_views_read_what_their_arrays_would_hold()
    {
        float[] values = Values(6);
        foreach (RowStore store in new RowStore[] { RowStore.InMemory(values, SampleSize), InFile(values) })
        {
            Assert.Equal([50, 51, 52, 0, 1, 2, 20, 21, 22], Read(store.Select([5, 0, 2]), 0, 3));
            Assert.Equal([20, 21, 22], Read(store.Select([5, 0, 2]), 2, 1));

            RowStore both = RowStore.Concat(store.Select([1, 2]), store.Select([4]));
            Assert.Equal(3, both.Count);
            Assert.Equal([20, 21, 22, 40, 41, 42], Read(both, 1, 2));
            Assert.Equal([10, 11, 12, 20, 21, 22, 40, 41, 42], Read(both, 0, 3));

            RowStore halved = store.Transformed(rows =>
            {
                for (int i = 0; i < rows.Length; i++)
                {
                    rows[i] /= 2;
                }
            });
            Assert.Equal([20, 20.5f, 21], Read(halved, 4, 1));
            Assert.Equal([40, 41, 42], Read(store, 4, 1));
        }
    }

    [Fact]
    public void Reads_outside_a_store_or_into_a_short_buffer_are_refused()
    {
        RowStore store = InFile(Values(3));

        Assert.Throws<ArgumentOutOfRangeException>(() => store.CopyRows(2, 2, new float[6]));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.CopyRows(-1, 1, new float[3]));
        Assert.Throws<ArgumentException>(() => store.CopyRows(0, 2, new float[5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Select([0, 3]));
        Assert.Throws<ArgumentException>(() => RowStore.Concat(store, RowStore.InMemory([1, 2], 2)));
    }

    [Fact]
    public void Labelled_data_over_a_file_gives_rows_takes_and_concatenations_like_the_same_data_in_memory()
    {
        float[] values = Values(5);
        int[] labels = [0, 1, 2, 0, 1];
        var memory = new LabelledData(values, [SampleSize], labels);
        var file = new LabelledData(InFile(values), [SampleSize], labels);

        Assert.True(memory.IsInMemory);
        Assert.False(file.IsInMemory);
        Assert.Throws<InvalidOperationException>(() => file.Features);
        Assert.Equal(memory.Rows(1, 3).ToArray(), file.Rows(1, 3).ToArray());

        LabelledData takenFromMemory = memory.Take([4, 1], hideLabels: true);
        LabelledData takenFromFile = file.Take([4, 1], hideLabels: true);
        Assert.True(takenFromMemory.IsInMemory);
        Assert.False(takenFromFile.IsInMemory);
        Assert.Equal([LabelledData.NoLabel, LabelledData.NoLabel], takenFromFile.Labels);
        Assert.Equal(takenFromMemory.Rows(0, 2).ToArray(), takenFromFile.Rows(0, 2).ToArray());

        LabelledData joined = LabelledData.Concat(memory.Take([0], hideLabels: false), takenFromFile);
        Assert.Equal([0, LabelledData.NoLabel, LabelledData.NoLabel], joined.Labels);
        Assert.Equal([0, 1, 2, 40, 41, 42, 10, 11, 12], joined.Rows(0, 3).ToArray());
    }
}
