namespace Compression.Abstractions.Stages;

/// <summary>
/// Measures how much memory a model needs, in a process of its own, so that nothing else the host
/// has loaded (other models, TorchSharp, the managed heap) is counted and the order in which models
/// are measured does not matter. The host registers one; a stage takes it from
/// <see cref="StageContext.Services"/> and copes with its absence (as in unit tests).
/// </summary>
public interface IModelMemoryProbe
{
    /// <summary>
    /// Peak resident memory, in bytes, of loading the ONNX model and running it at
    /// <paramref name="batchSize"/>, above the probe process's baseline with ONNX Runtime loaded.
    /// </summary>
    /// <exception cref="InvalidOperationException">The probe process failed; the message says why.</exception>
    long PeakBytes(string onnxModelPath, int batchSize, int intraOpThreads, CancellationToken cancellationToken);
}
