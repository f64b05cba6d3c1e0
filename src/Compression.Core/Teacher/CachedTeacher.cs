using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Compression.Abstractions.Data;
using Compression.Abstractions.Stages;
using Compression.Core.Cache;

using Compression.Models.Evaluation;
using Compression.Models.Evaluation.Embeddings;

namespace Compression.Core.Teacher;

/// <summary>
/// The teacher as stages see it: an ONNX file whose logits per split are computed once through
/// ONNX Runtime and kept in the cache, keyed by the teacher's and the data's content hashes.
/// </summary>
public sealed class CachedTeacher(string name, string onnxPath, string contentHash, long parameterCount, DataSplits data, ArtifactCache cache) : ITeacher
{
    /// <summary>Seconds of computing logits after which progress lines start (a small teacher stays silent).</summary>
    private static readonly TimeSpan s_quietFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<DataSplit, Lazy<float[]>> _logits = new();
    private readonly ConcurrentDictionary<(DataSplit Split, string Name), Lazy<float[]>> _features = new();
    private readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<int>>> _shapes = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public string OnnxPath { get; } = onnxPath;

    public string ContentHash { get; } = contentHash;

    public long ParameterCount { get; } = parameterCount;

    /// <inheritdoc />
    public string? TorchModelPath { get; init; }

    /// <summary>
    /// Set when the teacher is a sentence encoder (the embedding task): its "logits" are then its
    /// unit-length sentence embeddings, row-major [count, hidden], of the text format's [2, L] samples.
    /// </summary>
    public EncoderFiles? SentenceEncoder { get; init; }

    /// <summary>Receives "computing logits" lines with an ETA when a split takes long (a pretrained backbone over thousands of rows); null for none.</summary>
    public IProgress<string>? Progress { get; init; }

    public Task<float[]> GetLogitsAsync(DataSplit split, CancellationToken cancellationToken) =>
        Task.Run(() => _logits.GetOrAdd(split, s => new Lazy<float[]>(() => Load(s, cancellationToken))).Value, cancellationToken);

    public ITeacherSession OpenSession() => SentenceEncoder is null
        ? new OnnxTeacherSession(OnnxPath, data.ClassCount)
        : throw new StageException("a sentence-encoder teacher gives its embeddings offline only (computed once and cached): online teaching (augmentations, an online teacher) is not supported for it");

    public ITeacherSession OpenSession(IReadOnlyList<string> features) => SentenceEncoder is null
        ? new OnnxTeacherSession(OnnxPath, data.ClassCount, features)
        : throw new StageException("a sentence-encoder teacher has no feature taps: its embeddings are its only output");

    public IReadOnlyList<int> FeatureShape(string name) => SentenceEncoder is not null
        ? throw new FeatureTapException($"a sentence-encoder teacher has no feature taps (asked for '{name}'): its embeddings are its only output")
        : _shapes.GetOrAdd(name, n => new Lazy<IReadOnlyList<int>>(() => TeacherFeatures.Shape(OnnxPath, n, data.ClassCount))).Value;

    public Task<float[]> GetFeaturesAsync(DataSplit split, string name, CancellationToken cancellationToken) =>
        Task.Run(() => _features.GetOrAdd((split, name), k => new Lazy<float[]>(() => LoadFeatures(k.Split, k.Name, cancellationToken))).Value, cancellationToken);

    private float[] LoadFeatures(DataSplit split, string name, CancellationToken cancellationToken)
    {
        string key = new ContentHash.KeyBuilder().Add("teacher-features/1").Add(ContentHash).Add(data.ContentHash).Add(split.ToString()).Add(name).Build();
        return Cached(key, "features.f32", () => TeacherFeatures.Compute(OnnxPath, name, data.Of(split), data.ClassCount, cancellationToken));
    }

    private float[] Load(DataSplit split, CancellationToken cancellationToken)
    {
        if (SentenceEncoder is EncoderFiles encoder)
        {
            string embeddingsKey = new ContentHash.KeyBuilder().Add("teacher-embeddings/1").Add(ContentHash).Add(data.ContentHash).Add(split.ToString()).Build();
            return Cached(embeddingsKey, "embeddings.f32", () =>
                SentenceEncoderEmbeddings.Compute(encoder.ModelPath, data.Of(split), Reporter(split, data.Of(split).Count, "embeddings"), cancellationToken));
        }
        string key = new ContentHash.KeyBuilder().Add("teacher-logits/1").Add(ContentHash).Add(data.ContentHash).Add(split.ToString()).Build();
        return Cached(key, "logits.f32", () => Reporter(split, data.Of(split).Count, "logits") is IProgress<int> reporter
            ? ClassifierEvaluator.LogitsWithProgress(OnnxPath, data.Of(split), data.ClassCount, reporter, cancellationToken)
            : ClassifierEvaluator.Logits(OnnxPath, data.Of(split), data.ClassCount, cancellationToken));
    }

    /// <summary>Floats kept in the cache under <paramref name="key"/>: read back (the cache re-hashes them), or computed and committed.</summary>
    private float[] Cached(string key, string file, Func<float[]> compute)
    {
        CacheEntry? entry = cache.TryGet(key);
        if (entry is not null)
        {
            return MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(entry.PathOf(file))).ToArray();
        }
        float[] computed = compute();
        string scratch = cache.CreateScratch();
        try
        {
            File.WriteAllBytes(Path.Combine(scratch, file), MemoryMarshal.AsBytes(computed.AsSpan()).ToArray());
            cache.Commit(key, scratch, [], [], null);
        }
        catch
        {
            cache.Discard(scratch);
            throw;
        }
        return computed;
    }

    /// <summary>Reports a split's progress every 10 s once it has run for <see cref="s_quietFor"/>.</summary>
    private IProgress<int>? Reporter(DataSplit split, int total, string what)
    {
        if (Progress is not IProgress<string> sink)
        {
            return null;
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan next = s_quietFor;
        return new Running.SynchronousProgress<int>(done =>
        {
            if (clock.Elapsed < next || done >= total)
            {
                return;
            }
            next = clock.Elapsed + TimeSpan.FromSeconds(10);
            var eta = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / done * (total - done));
            sink.Report(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{Name}: {what} of the {split.ToString().ToLowerInvariant()} split {done:N0}/{total:N0} ETA {eta:m\\:ss}"));
        });
    }
}
