using Microsoft.ML.OnnxRuntime;

namespace Compression.Runner;

/// <summary>Session options from the target profile: threads, execution provider, graph optimisation level.</summary>
internal static class SessionFactory
{
    public static InferenceSession Create(string path, int threads, string provider, string optimization)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = Level(optimization),
        };
        if (!provider.Equals("cpu", StringComparison.OrdinalIgnoreCase))
        {
            string[] available = OrtEnv.Instance().GetAvailableProviders();
            string? match = available.FirstOrDefault(p => p.Equals(provider, StringComparison.OrdinalIgnoreCase)
                || p.Equals(provider + "ExecutionProvider", StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                throw new RunnerUsageException($"execution provider '{provider}' is not in this ONNX Runtime build (available: {string.Join(", ", available)})");
            }
            // The generic entry point covers the providers ONNX Runtime registers by name (XNNPACK, QNN, SNPE, ...).
            options.AppendExecutionProvider(match.Replace("ExecutionProvider", "", StringComparison.Ordinal), new Dictionary<string, string>());
        }
        return new InferenceSession(path, options);
    }

    public static GraphOptimizationLevel Level(string name) => name.ToLowerInvariant() switch
    {
        "disabled" => GraphOptimizationLevel.ORT_DISABLE_ALL,
        "basic" => GraphOptimizationLevel.ORT_ENABLE_BASIC,
        "extended" => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
        "all" => GraphOptimizationLevel.ORT_ENABLE_ALL,
        _ => throw new RunnerUsageException($"--optimization expects disabled, basic, extended or all, got '{name}'"),
    };
}
