using System.Globalization;
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
/// reported) and caches the result. Progress goes to the run's progress lines.
/// </summary>
internal sealed class ImageSplitReader(ImageFolderSettings settings, string settingsKey, DataSetOptions options, CancellationToken cancellationToken)
{
    private readonly DataFileDigests _digests = options.Digests ?? new DataFileDigests();
    private readonly DecodedImageCache? _cache = options.CacheFolder is string folder ? new DecodedImageCache(Path.Combine(folder, "images")) : null;

    /// <summary>One split's samples, from the cache or decoded.</summary>
    public DataFormatSplit Read(string split, ImageFolderListing listing)
    {
        int sampleSize = settings.SampleSize;
        int count = listing.Files.Count;
        string key = Key(listing);
        bool cacheable = (long)count * (sampleSize + 1) * sizeof(float) < Array.MaxLength - 1024;
        if (cacheable && _cache?.TryRead(key, count, sampleSize) is var (cachedFeatures, cachedLabels) && cachedLabels.AsSpan().SequenceEqual(listing.Labels))
        {
            options.Progress?.Report(string.Create(CultureInfo.InvariantCulture, $"data: {split}: {count:N0} images read from the decoded-image cache"));
            return new DataFormatSplit(cachedFeatures, settings.SampleShape, listing.Labels, listing.Folder, listing.Folder);
        }
        float[] features = Decode(split, listing, sampleSize);
        if (cacheable)
        {
            _cache?.Write(key, features, listing.Labels, sampleSize);
        }
        return new DataFormatSplit(features, settings.SampleShape, listing.Labels, listing.Folder, listing.Folder);
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

    private float[] Decode(string split, ImageFolderListing listing, int sampleSize)
    {
        int count = listing.Files.Count;
        var features = new float[(long)count * sampleSize];
        var errors = new Exception?[count];
        int done = 0;
        int step = Math.Max(1, count / 10);
        options.Progress?.Report(string.Create(CultureInfo.InvariantCulture, $"data: {split}: decoding {count:N0} images"));
        Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, (i, state) =>
        {
            try
            {
                ImageDecoder.Decode(listing.PathOf(i), settings, features.AsSpan(i * sampleSize, sampleSize));
            }
            catch (Exception ex) when (ex is DataFormatException or IOException or UnauthorizedAccessException)
            {
                errors[i] = ex;
                state.Break();
                return;
            }
            lock (errors)
            {
                // Under the lock, so the counts reach the progress lines in order.
                if (++done % step == 0 && done < count)
                {
                    options.Progress?.Report(string.Create(CultureInfo.InvariantCulture, $"data: {split}: decoded {done:N0} of {count:N0} images"));
                }
            }
        });
        if (Array.FindIndex(errors, error => error is not null) is int bad and >= 0)
        {
            throw errors[bad] is DataFormatException format
                ? format
                : new DataFormatException(listing.PathOf(bad), $"{listing.Files[bad]}: could not be read: {errors[bad]!.Message}", innerException: errors[bad]);
        }
        options.Progress?.Report(string.Create(CultureInfo.InvariantCulture, $"data: {split}: decoded {count:N0} images"));
        return features;
    }
}
