namespace Compression.Core.Targets;

/// <summary>How one target was measured, for result.json and the summary: where, on what, and whether under emulation.</summary>
/// <param name="Name">The target's name.</param>
/// <param name="Kind">local, ssh or command.</param>
/// <param name="Where">"this machine", "ssh pi@edge:22", the command.</param>
/// <param name="Rid">The runner's runtime identifier, or null for a command that brings its own.</param>
/// <param name="Emulated">Measured under user-mode emulation: the figures show the path works, not the device's speed.</param>
/// <param name="Architecture">The runner's process architecture as it reported it.</param>
/// <param name="Os">The device's OS as the runner reported it.</param>
/// <param name="OnnxRuntime">The ONNX Runtime version on the device.</param>
/// <param name="Threads">Intra-op threads.</param>
/// <param name="ExecutionProvider">The execution provider.</param>
/// <param name="GraphOptimization">The graph optimisation level.</param>
/// <param name="Seconds">Wall time of the measurement, copying included.</param>
public sealed record TargetRun(string Name, string Kind, string Where, string? Rid, bool Emulated, string Architecture, string Os, string OnnxRuntime,
    int Threads, string ExecutionProvider, string GraphOptimization, double Seconds);
