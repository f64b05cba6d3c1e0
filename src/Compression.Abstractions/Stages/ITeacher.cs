using Compression.Abstractions.Data;

namespace Compression.Abstractions.Stages;

/// <summary>
/// The teacher model as the pipeline sees it: always an ONNX file (a teacher given as a spec is
/// trained once and exported by the host), whose logits are computed once per data set and cached.
/// </summary>
public interface ITeacher
{
    /// <summary>Absolute path of the teacher's ONNX file.</summary>
    string OnnxPath { get; }

    /// <summary>Number of parameters (initializer elements) of the teacher.</summary>
    long ParameterCount { get; }

    /// <summary>
    /// The teacher's logits for every sample of a split, row-major [count, classes].
    /// Computed through ONNX Runtime on first use and cached by content hash.
    /// </summary>
    Task<float[]> GetLogitsAsync(DataSplit split, CancellationToken cancellationToken);
}
