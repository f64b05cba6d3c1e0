using Compression.Abstractions.Data;

namespace Compression.Abstractions.Stages;

/// <summary>
/// A teacher model as the pipeline sees it: always an ONNX file (a teacher given as a spec is
/// trained once and exported by the host), whose logits per split are computed once and cached.
/// </summary>
public interface ITeacher
{
    /// <summary>The teacher's name in reports: "teacher", or its <c>name</c> in the config's <c>teachers</c>.</summary>
    string Name { get; }

    /// <summary>Absolute path of the teacher's ONNX file.</summary>
    string OnnxPath { get; }

    /// <summary>SHA-256 of the teacher (its file and any external data); part of downstream cache keys.</summary>
    string ContentHash { get; }

    /// <summary>Number of parameters (initializer elements) of the teacher.</summary>
    long ParameterCount { get; }

    /// <summary>
    /// The teacher's logits for every sample of a split, row-major [count, classes].
    /// Computed through ONNX Runtime on first use and cached by content hash.
    /// </summary>
    Task<float[]> GetLogitsAsync(DataSplit split, CancellationToken cancellationToken);

    /// <summary>
    /// Opens the teacher for batches the caller makes (online distillation: the teacher sees the
    /// same augmented batch as the student). Dispose the session when done.
    /// </summary>
    ITeacherSession OpenSession();

    /// <summary>
    /// The per-sample shape of the teacher's intermediate tensor <paramref name="name"/>: for a teacher
    /// given as a spec, a layer's name; for an ONNX file, the name of a tensor in its graph.
    /// </summary>
    /// <exception cref="FeatureTapException">There is no such tensor (the message lists the names there are),
    /// its shape is not fixed apart from the batch, or it is not a float tensor.</exception>
    IReadOnlyList<int> FeatureShape(string name);

    /// <summary>
    /// The tensor <paramref name="name"/> for every sample of a split, row-major [count, ...<see cref="FeatureShape"/>].
    /// Computed through ONNX Runtime on first use and cached by content hash.
    /// </summary>
    Task<float[]> GetFeaturesAsync(DataSplit split, string name, CancellationToken cancellationToken);

    /// <summary>Opens the teacher for batches with the intermediate tensors <paramref name="features"/> as extra outputs.</summary>
    ITeacherSession OpenSession(IReadOnlyList<string> features);

    /// <summary>
    /// The teacher as a TorchSharp model folder (<c>model.json</c> and <c>weights.dat</c>, the
    /// torch-model artifact's layout) when the pipeline trained it from a spec; null for a teacher
    /// given as an ONNX file. A <c>prune</c> stage placed first prunes this model.
    /// </summary>
    string? TorchModelPath => null;
}
