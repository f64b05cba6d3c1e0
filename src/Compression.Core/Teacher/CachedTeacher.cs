using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Compression.Abstractions.Data;
using Compression.Abstractions.Stages;
using Compression.Core.Cache;

using Compression.Models.Evaluation;

namespace Compression.Core.Teacher;

/// <summary>
/// The teacher as stages see it: an ONNX file whose logits per split are computed once through
/// ONNX Runtime and kept in the cache, keyed by the teacher's and the data's content hashes.
/// </summary>
public sealed class CachedTeacher(string name, string onnxPath, string contentHash, long parameterCount, DataSplits data, ArtifactCache cache) : ITeacher
{
    private readonly ConcurrentDictionary<DataSplit, Lazy<float[]>> _logits = new();

    public string Name { get; } = name;

    public string OnnxPath { get; } = onnxPath;

    public string ContentHash { get; } = contentHash;

    public long ParameterCount { get; } = parameterCount;

    /// <inheritdoc />
    public string? TorchModelPath { get; init; }

    public Task<float[]> GetLogitsAsync(DataSplit split, CancellationToken cancellationToken) =>
        Task.Run(() => _logits.GetOrAdd(split, s => new Lazy<float[]>(() => Load(s, cancellationToken))).Value, cancellationToken);

    public ITeacherSession OpenSession() => new OnnxTeacherSession(OnnxPath, data.ClassCount);

    private float[] Load(DataSplit split, CancellationToken cancellationToken)
    {
        string key = new ContentHash.KeyBuilder().Add("teacher-logits/1").Add(ContentHash).Add(data.ContentHash).Add(split.ToString()).Build();
        CacheEntry? entry = cache.TryGet(key);
        if (entry is null)
        {
            LabelledData rows = split switch
            {
                DataSplit.Train => data.Train,
                DataSplit.Validation => data.Validation,
                DataSplit.Test => data.Test,
                _ => data.Transfer,
            };
            float[] computed = ClassifierEvaluator.Logits(OnnxPath, rows, data.ClassCount, cancellationToken);
            string scratch = cache.CreateScratch();
            try
            {
                File.WriteAllBytes(Path.Combine(scratch, "logits.f32"), MemoryMarshal.AsBytes(computed.AsSpan()).ToArray());
                cache.Commit(key, scratch, [], [], null);
            }
            catch
            {
                cache.Discard(scratch);
                throw;
            }
            return computed;
        }
        byte[] bytes = File.ReadAllBytes(entry.PathOf("logits.f32"));
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }
}
