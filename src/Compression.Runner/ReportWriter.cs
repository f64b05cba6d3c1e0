using System.Runtime.InteropServices;
using System.Text.Json;

namespace Compression.Runner;

/// <summary>
/// The runner protocol's answer, one JSON object on stdout (protocol 1):
/// <c>{ "protocol": 1, "architecture": "Arm64", "os": "...", "processors": 4, "onnxRuntime": "1.31.1",
/// "provider": "cpu", "threads": 1, "models": [ { "name": "student", "peakMemoryBytes": 123,
/// "batches": [ { "batch": 1, "p50Ms": 0.1, "p90Ms": 0.1, "p95Ms": 0.1, "p99Ms": 0.2, "throughput": 9000, "runs": 200 } ] } ] }</c>.
/// </summary>
internal static class ReportWriter
{
    public const int Protocol = 1;

    public static void Write(Stream stream, RunnerOptions options, IReadOnlyList<ModelResult> results)
    {
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WriteNumber("protocol", Protocol);
        json.WriteString("architecture", RuntimeInformation.ProcessArchitecture.ToString());
        json.WriteString("os", RuntimeInformation.OSDescription);
        json.WriteNumber("processors", Environment.ProcessorCount);
        json.WriteString("onnxRuntime", typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.GetName().Version?.ToString(3));
        json.WriteString("provider", options.Provider);
        json.WriteNumber("threads", options.Threads);
        json.WriteString("optimization", options.Optimization);
        json.WriteStartArray("models");
        foreach (ModelResult model in results)
        {
            json.WriteStartObject();
            json.WriteString("name", model.Name);
            if (model.PeakMemoryBytes is long bytes)
            {
                json.WriteNumber("peakMemoryBytes", bytes);
            }
            json.WriteStartArray("batches");
            foreach (BatchResult batch in model.Batches)
            {
                json.WriteStartObject();
                json.WriteNumber("batch", batch.Batch);
                for (int q = 0; q < InterleavedBenchmark.Percentiles.Length; q++)
                {
                    json.WriteNumber($"p{InterleavedBenchmark.Percentiles[q]}Ms", batch.Latencies[q]);
                }
                json.WriteNumber("throughput", batch.Throughput);
                json.WriteNumber("runs", batch.Runs);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        stream.WriteByte((byte)'\n');
    }
}
