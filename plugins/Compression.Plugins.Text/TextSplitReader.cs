using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Compression.Data.Loading;

namespace Compression.Plugins.Text;

/// <summary>
/// Tokenises the rows of one load's files: serves a file's samples from the <see cref="TokenCache"/>
/// when its key is there (SHA-256 over the settings, the vocabulary's SHA-256 and the file's, taken
/// through the run's <see cref="DataFileDigests"/> so the content hash does not read it again), and
/// otherwise tokenises in parallel, each text into its own slot (the values do not depend on the
/// threads), and caches the result. Reports progress and the truncated rows to the run's progress lines.
/// </summary>
internal sealed class TextSplitReader(WordPieceEncoder encoder, string settingsKey, DataSetOptions options, CancellationToken cancellationToken)
{
    private readonly DataFileDigests _digests = options.Digests ?? new DataFileDigests();
    private readonly TokenCache? _cache = options.CacheFolder is string folder ? new TokenCache(Path.Combine(folder, "text")) : null;

    /// <summary>One file's samples, from the cache or tokenised.</summary>
    public float[] Read(string split, TextRows rows, int maxLength)
    {
        int count = rows.Texts.Length;
        int sampleSize = encoder.SampleSize;
        string key = Key(rows.Path);
        bool cacheable = (long)count * sampleSize * sizeof(float) < Array.MaxLength - 1024;
        float[] features;
        int[] truncated;
        if (cacheable && _cache?.TryRead(key, count, sampleSize) is var (cachedFeatures, cachedTruncated))
        {
            options.Progress?.Report(string.Create(CultureInfo.InvariantCulture, $"data: {split}: {count:N0} texts read from the token cache"));
            (features, truncated) = (cachedFeatures, cachedTruncated);
        }
        else
        {
            (features, truncated) = Tokenise(split, rows);
            if (cacheable)
            {
                _cache?.Write(key, features, truncated, sampleSize);
            }
        }
        if (truncated.Length > 0)
        {
            options.Progress?.Report(string.Create(CultureInfo.InvariantCulture,
                $"data: {split}: {truncated.Length:N0} of {count:N0} texts are longer than {maxLength} tokens (with [CLS] and [SEP]) and were truncated to their first {maxLength - 2} tokens (first: {Path.GetFileName(rows.Path)}:{rows.Lines[truncated[0]]})"));
        }
        return features;
    }

    /// <summary>SHA-256 over the settings, the vocabulary's SHA-256 and the file's.</summary>
    private string Key(string path)
    {
        string text = $"{settingsKey}\n{_digests.Of(path)}\n";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private (float[] Features, int[] Truncated) Tokenise(string split, TextRows rows)
    {
        int count = rows.Texts.Length;
        int sampleSize = encoder.SampleSize;
        var features = new float[(long)count * sampleSize];
        var truncated = new bool[count];
        int done = 0;
        int step = Math.Max(1, count / 10);
        options.Progress?.Report(string.Create(CultureInfo.InvariantCulture, $"data: {split}: tokenising {count:N0} texts"));
        Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            truncated[i] = encoder.Encode(rows.Texts[i], features.AsSpan(i * sampleSize, sampleSize));
            lock (truncated)
            {
                // Under the lock, so the counts reach the progress lines in order.
                if (++done % step == 0 && done < count)
                {
                    options.Progress?.Report(string.Create(CultureInfo.InvariantCulture, $"data: {split}: tokenised {done:N0} of {count:N0} texts"));
                }
            }
        });
        options.Progress?.Report(string.Create(CultureInfo.InvariantCulture, $"data: {split}: tokenised {count:N0} texts"));
        return (features, [.. Enumerable.Range(0, count).Where(i => truncated[i])]);
    }
}
