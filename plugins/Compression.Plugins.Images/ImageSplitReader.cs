using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Compression.Data;
using Compression.Data.Formats;
using Compression.Data.Loading;

namespace Compression.Plugins.Images;

/// <summary>
/// Reads the splits of one load: hashes each image (through the run's <see cref="DataFileDigests"/>,
/// so the content hash does not read it again), serves a split from the <see cref="DecodedImageCache"/>
/// when its key is there, and otherwise decodes its images in parallel (each into its own slot, so the
/// order and the values do not depend on the threads; of several bad files the first in order is
/// reported) and caches the result. A split held in memory is decoded into one array; a streamed one
/// (<paramref name="stream"/>) is decoded a chunk at a time straight into its cache file (a temporary
/// file without a cache folder) and served from that file, so it is never whole in memory. Progress
/// goes to the run's progress lines.
/// </summary>
internal sealed class ImageSplitReader(ImageFolderSettings settings, string settingsKey, DataSetOptions options, Func<ImageFolderListing, bool> stream, CancellationToken cancellationToken)
{
    /// <summary>About how many bytes of decoded images a streamed split holds in memory at once.</summary>
    private const int ChunkBytes = 16 << 20;

    private readonly DataFileDigests _digests = options.Digests ?? new DataFileDigests();
    private readonly DecodedImageCache? _cache = options.CacheFolder is string folder ? new DecodedImageCache(Path.Combine(folder, "images")) : null;

    /// <summary>One split's samples, from the cache or decoded.</summary>
    public DataFormatSplit Read(string split, ImageFolderListing listing) =>
        stream(listing) ? Streamed(split, listing) : InMemory(split, listing);

    private DataFormatSplit InMemory(string split, ImageFolderListing listing)
    {
        int sampleSize = settings.SampleSize;
        int count = listing.Files.Count;
        string key = Key(listing);
        if (_cache?.TryRead(key, count, sampleSize) is var (cachedFeatures, cachedLabels) && cachedLabels.AsSpan().SequenceEqual(listing.Labels))
        {
            options.Progress?.Report(string.Create(CultureInfo.InvariantCulture, $"data: {split}: {count:N0} images read from the decoded-image cache"));
            return new DataFormatSplit(cachedFeatures, settings.SampleShape, listing.Labels, listing.Folder, listing.Folder);
        }
        var features = new float[(long)count * sampleSize];
        options.Progress?.Report(string.Create(CultureInfo.InvariantCulture, $"data: {split}: decoding {count:N0} images"));
        var progress = new DecodeProgress(split, count, options.Progress);
        Decode(listing, 0, count, features, progress);
        options.Progress?.Report(string.Create(CultureInfo.InvariantCulture, $"data: {split}: decoded {count:N0} images"));
        _cache?.Write(key, features, listing.Labels, sampleSize);
        return new DataFormatSplit(features, settings.SampleShape, listing.Labels, listing.Folder, listing.Folder);
    }

    private DataFormatSplit Streamed(string split, ImageFolderListing listing)
    {
        int sampleSize = settings.SampleSize;
        int count = listing.Files.Count;
        string key = Key(listing);
        if (_cache?.TryOpen(key, listing.Labels, sampleSize) is FileRowStore cached)
        {
            options.Progress?.Report(string.Create(CultureInfo.InvariantCulture, $"data: {split}: {count:N0} images read from the decoded-image cache (served from its file a batch at a time)"));
            return new DataFormatSplit(cached, settings.SampleShape, listing.Labels, listing.Folder, listing.Folder);
        }
        string path = _cache?.PathOf(key) ?? Path.Combine(Path.GetTempPath(), $"compression-images-{Environment.ProcessId}-{Guid.NewGuid():N}.images");
        options.Progress?.Report(string.Create(CultureInfo.InvariantCulture,
            $"data: {split}: decoding {count:N0} images into {path} (served from that file a batch at a time{(_cache is null ? "; deleted when the run ends" : "")})"));
        var progress = new DecodeProgress(split, count, options.Progress);
        int perChunk = (int)Math.Clamp(ChunkBytes / (sizeof(float) * (long)sampleSize), 1, Math.Max(count, 1));
        var chunk = new float[(long)perChunk * sampleSize];
        DecodedImageCache.WriteFile(path, key, listing.Labels, sampleSize, put =>
        {
            for (int first = 0; first < count; first += perChunk)
            {
                int n = Math.Min(perChunk, count - first);
                Decode(listing, first, n, chunk, progress);
                put(MemoryMarshal.AsBytes(chunk.AsSpan(0, n * sampleSize)));
            }
        });
        options.Progress?.Report(string.Create(CultureInfo.InvariantCulture, $"data: {split}: decoded {count:N0} images"));
        var rows = FileRowStore.Open(path, DecodedImageCache.FeaturesOffset(key, count), count, sampleSize, deleteWhenClosed: _cache is null);
        return new DataFormatSplit(rows, settings.SampleShape, listing.Labels, listing.Folder, listing.Folder);
    }

    /// <summary>SHA-256 over the settings, the class names and every image's relative path, label and SHA-256.</summary>
    private string Key(ImageFolderListing listing)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text));
        Add($"{settingsKey}\n{string.Join('/', listing.ClassNames)}\n{listing.Files.Count}\n");
        for (int i = 0; i < listing.Files.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Add(string.Create(CultureInfo.InvariantCulture, $"{listing.Files[i]}\t{listing.Labels[i]}\t{_digests.Of(listing.PathOf(i))}\n"));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Decodes images [first, first + count) into <paramref name="target"/> (image first + i at sample i), in parallel.</summary>
    private void Decode(ImageFolderListing listing, int first, int count, float[] target, DecodeProgress progress)
    {
        int sampleSize = settings.SampleSize;
        var errors = new Exception?[count];
        Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, (i, state) =>
        {
            try
            {
                ImageDecoder.Decode(listing.PathOf(first + i), settings, target.AsSpan((int)((long)i * sampleSize), sampleSize));
            }
            catch (Exception ex) when (ex is DataFormatException or IOException or UnauthorizedAccessException)
            {
                errors[i] = ex;
                state.Break();
                return;
            }
            progress.OneDone();
        });
        if (Array.FindIndex(errors, error => error is not null) is int bad and >= 0)
        {
            throw errors[bad] is DataFormatException format
                ? format
                : new DataFormatException(listing.PathOf(first + bad), $"{listing.Files[first + bad]}: could not be read: {errors[bad]!.Message}", innerException: errors[bad]);
        }
    }

    /// <summary>Counts decoded images and reports every tenth of the split, in order.</summary>
    private sealed class DecodeProgress(string split, int count, IProgress<string>? progress)
    {
        private readonly int _step = Math.Max(1, count / 10);
        private readonly Lock _lock = new();
        private int _done;

        public void OneDone()
        {
            lock (_lock)
            {
                // Under the lock, so the counts reach the progress lines in order.
                if (++_done % _step == 0 && _done < count)
                {
                    progress?.Report(string.Create(CultureInfo.InvariantCulture, $"data: {split}: decoded {_done:N0} of {count:N0} images"));
                }
            }
        }
    }
}
