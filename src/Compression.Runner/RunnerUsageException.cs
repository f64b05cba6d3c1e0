namespace Compression.Runner;

/// <summary>A request the runner cannot serve (bad arguments, a missing file, an unknown provider): exit 2.</summary>
internal sealed class RunnerUsageException(string message) : Exception(message);
