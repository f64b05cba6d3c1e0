using System.Text.Json;
using Compression.Abstractions.Diagnostics;

namespace Compression.Core.Targets;

/// <summary>
/// The runner protocol's answer (protocol 1), read strictly: one JSON object whose "models" give, per
/// model named in the request, per batch size, "p50Ms", "p90Ms", "p95Ms", "p99Ms" and "throughput",
/// and optionally "peakMemoryBytes"; "architecture", "os" and "onnxRuntime" describe the device.
/// </summary>
public sealed record RunnerReport(string Architecture, string Os, string OnnxRuntime, IReadOnlyList<RunnerReport.Model> Models)
{
    public const int Protocol = 1;

    /// <summary>Whether the figures were measured under emulation (the protocol's optional "emulated": true, for a command target that emulates).</summary>
    public bool Emulated { get; init; }

    public static readonly int[] Percentiles = [50, 90, 95, 99];

    /// <summary>One model's figures.</summary>
    public sealed record Model(string Name, long? PeakMemoryBytes, IReadOnlyList<Batch> Batches);

    /// <summary>Latencies in ms by percentile (<see cref="Percentiles"/> order) and samples per second at one batch size.</summary>
    public sealed record Batch(int Size, IReadOnlyList<double> LatencyMs, double Throughput);

    /// <summary>Parses the last non-empty line of stdout that is a JSON object; a <see cref="TargetException"/> (CMP4014) says what is wrong.</summary>
    public static RunnerReport Parse(string stdout, RunnerRequest request, string target)
    {
        string? line = stdout.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{'));
        if (line is null)
        {
            throw Malformed(target, $"it printed no JSON object on stdout{(stdout.Length == 0 ? "" : $" (it printed: {Clip(stdout)})")}");
        }
        try
        {
            using var document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            int protocol = root.TryGetProperty("protocol", out JsonElement p) && p.TryGetInt32(out int v) ? v : 0;
            if (protocol != Protocol)
            {
                throw Malformed(target, $"it speaks runner protocol {protocol}, this host speaks {Protocol}");
            }
            var models = new List<Model>();
            foreach (var (name, _) in request.Models)
            {
                JsonElement model = root.GetProperty("models").EnumerateArray().FirstOrDefault(m => m.GetProperty("name").GetString() == name);
                if (model.ValueKind != JsonValueKind.Object)
                {
                    throw Malformed(target, $"its answer has no model named '{name}'");
                }
                var batches = new List<Batch>();
                foreach (int size in request.Target.BatchSizes.Distinct())
                {
                    JsonElement batch = model.GetProperty("batches").EnumerateArray().FirstOrDefault(b => b.GetProperty("batch").GetInt32() == size);
                    if (batch.ValueKind != JsonValueKind.Object)
                    {
                        throw Malformed(target, $"its answer has no batch {size} for '{name}'");
                    }
                    double[] latencies = Percentiles.Select(q => Positive(batch, $"p{q}Ms", target)).ToArray();
                    batches.Add(new Batch(size, latencies, Positive(batch, "throughput", target)));
                }
                long? memory = model.TryGetProperty("peakMemoryBytes", out JsonElement m) && m.ValueKind == JsonValueKind.Number ? m.GetInt64() : null;
                models.Add(new Model(name, memory, batches));
            }
            return new RunnerReport(Text(root, "architecture"), Text(root, "os"), Text(root, "onnxRuntime"), models)
            {
                Emulated = root.TryGetProperty("emulated", out JsonElement e) && e.ValueKind == JsonValueKind.True,
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Malformed(target, $"its answer is not the runner protocol's JSON ({ex.Message}): {Clip(line)}");
        }
    }

    private static double Positive(JsonElement element, string property, string target) =>
        element.GetProperty(property).GetDouble() is double value && double.IsFinite(value) && value > 0
            ? value
            : throw Malformed(target, $"'{property}' must be a positive number");

    private static string Text(JsonElement root, string property) =>
        root.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "unknown";

    private static TargetException Malformed(string target, string what) =>
        new(ErrorCodes.TargetRunFailed, $"target '{target}': the runner's answer cannot be read: {what}");

    internal static string Clip(string text)
    {
        text = text.Trim().ReplaceLineEndings(" | ");
        return text.Length <= 400 ? text : text[..400] + "...";
    }
}
