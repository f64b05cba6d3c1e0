using Compression.Abstractions.Data;
using Compression.Data.Batching;
using Compression.Data.Formats;
using Compression.Data.Loading;
using Compression.Plugins.Images;
using SkiaSharp;

namespace Compression.Plugins.Tests.Images;

/// <summary>A data set too large for memory (or <c>"stream": "always"</c>) is decoded into a file and served from it: the same values, bounded memory.</summary>
/// <remarks>
/// In <see cref="ProcessWideMeasurements"/>: the allocation test counts every thread's allocations (decoding is
/// parallel), so no other test may run beside it.
/// </remarks>
[Collection(nameof(ProcessWideMeasurements))]
public sealed partial class ImageFolderFormatTests
{
    [Fact]
    public void A_data_set_larger_than_half_the_memory_budget_is_served_from_a_file_with_the_values_it_has_in_memory()
    {
        TwoClasses();
        var lines = new Lines();
        long decodedBytes = 4 * 64 * 64 * 3 * 4;

        DataFormatContent inMemory = Read(Settings(64, 64, 3));
        DataFormatContent streamed = Read(Settings(64, 64, 3), progress: lines, budget: new Budget((2 * decodedBytes) - 1, "maxModelMemoryMb"));

        Assert.NotNull(inMemory.Train.Rows.InMemoryArray);
        Assert.IsType<FileRowStore>(streamed.Train.Rows);
        Assert.IsType<FileRowStore>(streamed.Test.Rows);
        Assert.Equal(inMemory.Train.Features, AllRows(streamed.Train.Rows));
        Assert.Equal(inMemory.Test.Features, AllRows(streamed.Test.Rows));
        Assert.Equal(inMemory.Train.Labels, streamed.Train.Labels);
        string decoding = Assert.Single(lines.All, line => line.StartsWith("data: train: decoding 2 images into ", StringComparison.Ordinal));
        Assert.Contains("deleted when the run ends", decoding, StringComparison.Ordinal);
        // Without a cache folder the decoded file is temporary: gone already where an open file can be unlinked.
        string path = decoding["data: train: decoding 2 images into ".Length..decoding.IndexOf(" (served", StringComparison.Ordinal)];
        Assert.Equal(OperatingSystem.IsWindows(), File.Exists(path));
    }

    [Fact]
    public void A_streamed_split_is_served_from_its_cache_file_on_the_next_read_and_a_damaged_or_truncated_file_is_rebuilt()
    {
        TwoClasses();
        string cache = Image("cache");
        ImageFolderSettings always = Settings(5, 5, 3);
        always.Stream = "always";
        var second = new Lines();
        var damaged = new Lines();
        var truncated = new Lines();

        DataFormatContent decoded = Read(always, cache: cache);
        // Read now: the split is served from the cache file, which this test then damages in place.
        float[] decodedTrain = AllRows(decoded.Train.Rows);
        string[] files = Directory.GetFiles(Path.Combine(cache, "images"));
        DataFormatContent cached = Read(always, cache: cache, progress: second);
        (float[] cachedTrain, float[] cachedTest) = (AllRows(cached.Train.Rows), AllRows(cached.Test.Rows));
        DataFormatContent inMemory = Read(Settings(5, 5, 3), cache: cache);
        byte[][] bytes = [.. files.Select(File.ReadAllBytes)];
        for (int i = 0; i < files.Length; i++)
        {
            // A flipped bit in the last sample's features: only the checksum can tell.
            File.WriteAllBytes(files[i], [.. bytes[i][..^40], (byte)(bytes[i][^40] ^ 1), .. bytes[i][^39..]]);
        }
        float[] afterDamage = AllRows(Read(always, cache: cache, progress: damaged).Train.Rows);
        foreach ((string file, byte[] whole) in files.Zip(bytes))
        {
            File.WriteAllBytes(file, whole[..^8]);
        }
        float[] afterTruncation = AllRows(Read(always, cache: cache, progress: truncated).Train.Rows);

        Assert.Equal(2, files.Length);
        Assert.Equal(["data: train: 2 images read from the decoded-image cache (served from its file a batch at a time)", "data: test: 2 images read from the decoded-image cache (served from its file a batch at a time)"], second.All);
        Assert.Equal(decodedTrain, cachedTrain);
        Assert.Equal(decodedTrain, inMemory.Train.Features);
        Assert.Equal(cachedTest, inMemory.Test.Features);
        Assert.Contains(damaged.All, line => line.StartsWith("data: train: decoding 2 images into ", StringComparison.Ordinal));
        Assert.Contains(damaged.All, line => line.StartsWith("data: test: decoding 2 images into ", StringComparison.Ordinal));
        Assert.Contains(truncated.All, line => line.StartsWith("data: train: decoding 2 images into ", StringComparison.Ordinal));
        Assert.Equal(decodedTrain, afterDamage);
        Assert.Equal(decodedTrain, afterTruncation);
        Assert.Equal(bytes, files.Select(File.ReadAllBytes));
        Assert.Empty(Directory.GetFiles(Path.Combine(cache, "images"), "*.tmp"));
    }

    [Fact]
    public void Loaded_splits_and_their_batches_are_the_same_streamed_or_in_memory_and_so_is_the_content_hash()
    {
        WriteSplits(perClass: 6);
        ImageFolderSettings always = Settings(8, 8, 3);
        always.Stream = "always";
        DataSetOptions Loaded(ImageFolderSettings settings) => Options(settings, transfer: "unlabelled", digests: new DataFileDigests()) with { Normalization = "standardize", ValidationFraction = 0.25, LabeledCount = 6 };

        LoadedDataSet memory = DataSetLoader.LoadDataSet(Loaded(Settings(8, 8, 3)));
        LoadedDataSet streamed = DataSetLoader.LoadDataSet(Loaded(always));

        Assert.False(streamed.Splits.Train.IsInMemory);
        Assert.Equal(memory.Splits.ContentHash, streamed.Splits.ContentHash);
        foreach ((LabelledData expected, LabelledData actual) in new[]
        {
            (memory.Splits.Train, streamed.Splits.Train), (memory.Splits.Validation, streamed.Splits.Validation), (memory.Splits.Test, streamed.Splits.Test),
            (memory.Splits.Transfer, streamed.Splits.Transfer), (memory.TeacherTrain, streamed.TeacherTrain),
        })
        {
            Assert.Equal(expected.Labels, actual.Labels);
            foreach (ReadOnlyMemory<int> batch in Batches.Shuffled(expected.Count, 4, seed: 3, epoch: 1))
            {
                Assert.Equal(Gathered(expected, batch.Span), Gathered(actual, batch.Span));
            }
        }
    }

    [Fact]
    public void Loading_and_reading_every_batch_of_a_streamed_split_allocates_a_small_part_of_its_size()
    {
        // 4 x 400 RGB images of 64 x 64: 78.6 MB as floats, decoded in chunks of at most 16 MiB.
        WriteSplits(perClass: 400, size: 64, smooth: true);
        ImageFolderSettings always = Settings(64, 64, 3);
        always.Stream = "always";
        long splitBytes = 1600L * 64 * 64 * 3 * sizeof(float);

        long streamed = AllocatedWhileLoadingAndReading(always);
        long inMemory = AllocatedWhileLoadingAndReading(Settings(64, 64, 3));

        Assert.True(streamed < splitBytes * 0.35, $"streamed: {streamed:N0} bytes allocated for a split of {splitBytes:N0}");
        Assert.True(inMemory > splitBytes, $"in memory: {inMemory:N0} bytes allocated for a split of {splitBytes:N0}");
    }

    /// <summary>Managed bytes allocated by loading the data set (train: all 1,600 images, scaled) and gathering every training batch of one epoch.</summary>
    private long AllocatedWhileLoadingAndReading(ImageFolderSettings settings)
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        DataSplits splits = DataSetLoader.Load(Options(settings) with { Normalization = "scale", ValidationFraction = 0.1 });
        var features = new float[32 * splits.Train.SampleSize];
        var labels = new int[32];
        double sum = 0;
        foreach (ReadOnlyMemory<int> batch in Batches.Shuffled(splits.Train.Count, 32, seed: 1, epoch: 0))
        {
            Batches.Gather(splits.Train, batch.Span, features, labels);
            sum += features[0];
        }
        Assert.True(sum >= 0);
        return GC.GetTotalAllocatedBytes(precise: true) - before;
    }

    private static float[] Gathered(LabelledData data, ReadOnlySpan<int> rows)
    {
        var features = new float[rows.Length * data.SampleSize];
        Batches.Gather(data, rows, features, new int[rows.Length]);
        return features;
    }

    private static float[] AllRows(RowStore rows)
    {
        var values = new float[rows.Count * rows.SampleSize];
        rows.CopyRows(0, rows.Count, values);
        return values;
    }

    /// <summary>train (and test) with classes a..d of <paramref name="perClass"/> (test: 2) noisy PNGs each (or smooth ones, small files), and 5 unlabelled ones.</summary>
    private void WriteSplits(int perClass, int size = 6, bool smooth = false)
    {
        var random = new Random(5);
        foreach ((string split, int count) in new[] { ("train", perClass), ("test", 2) })
        {
            foreach (string label in new[] { "a", "b", "c", "d" })
            {
                for (int i = 0; i < count; i++)
                {
                    int shift = random.Next(256);
                    ImageFiles.Png(Image($"{split}/{label}/{i}.png"), size, size, smooth
                        ? (x, y) => new SKColor((byte)(x + shift), (byte)(y * 2), (byte)shift)
                        : (_, _) => new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
                }
            }
        }
        for (int i = 0; i < 5; i++)
        {
            ImageFiles.Png(Image($"unlabelled/{i}.png"), size, size, (_, _) => new SKColor((byte)random.Next(256), 0, 0));
        }
    }
}
