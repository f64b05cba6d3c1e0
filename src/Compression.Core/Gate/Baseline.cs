using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Results;

namespace Compression.Core.Gate;

/// <summary>
/// A committed record of a previous run, holding what a statistical comparison needs rather than
/// summary numbers: which test samples the student got right (so a paired test can compare the next
/// student sample by sample), the identity of the test data (a different test set makes the pairing
/// meaningless), the student's size, and the student/teacher latency ratio of each benchmark run
/// (a ratio measured in one run holds across machines far better than milliseconds).
/// Written by <c>compress run --update-baseline</c>; read by <see cref="BaselineComparer"/>.
/// </summary>
/// <param name="TestDataSha256">SHA-256 of the test split's files (<see cref="TestSetIdentity"/>).</param>
/// <param name="StudentCorrect">Per test sample, in file order: whether the final student's top-1 class was the label.</param>
/// <param name="StudentModelBytes">Size of the final student's ONNX file.</param>
/// <param name="LatencyRatios">Per benchmarked batch size: student p50 / teacher p50 latency, one value per benchmark run.</param>
public sealed record Baseline(string TestDataSha256, bool[] StudentCorrect, long StudentModelBytes, IReadOnlyDictionary<int, double[]> LatencyRatios)
{
    /// <summary>The format this version writes and reads. Version 1 (summary metrics only) is refused: it cannot support a paired test.</summary>
    public const int CurrentFormat = 2;

    /// <summary>The student's test accuracy, recomputed from the per-sample record.</summary>
    public double StudentAccuracy => StudentCorrect.Length == 0 ? 0 : (double)StudentCorrect.Count(c => c) / StudentCorrect.Length;

    /// <summary>Writes the file atomically (temp file, then rename).</summary>
    public void Write(string path)
    {
        var latency = new JsonArray();
        foreach (var (batch, ratios) in LatencyRatios.OrderBy(p => p.Key))
        {
            latency.Add(new JsonObject
            {
                ["batchSize"] = batch,
                ["studentOverTeacher"] = new JsonArray([.. ratios.Select(r => (JsonNode)Math.Round(r, 6))]),
            });
        }
        var document = new JsonObject
        {
            ["format"] = CurrentFormat,
            ["comment"] = "Written by `compress run --update-baseline`; commit it. CMP3101 flags a regression from it only when a paired test says so.",
            ["testData"] = new JsonObject { ["sha256"] = TestDataSha256, ["samples"] = StudentCorrect.Length },
            ["student"] = new JsonObject
            {
                ["accuracy"] = Math.Round(StudentAccuracy, 6),
                ["modelBytes"] = StudentModelBytes,
                // One character per test sample ('1' right, '0' wrong): a diff of this line shows which samples changed.
                ["correct"] = new string([.. StudentCorrect.Select(c => c ? '1' : '0')]),
            },
            ["latency"] = latency,
        };
        var options = new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        AtomicFile.WriteAllText(path, document.ToJsonString(options) + "\n");
    }

    /// <summary>
    /// Reads a baseline file. A file from an older format (CMP3103) or one that is malformed (CMP3104)
    /// is bad input, located at the offending field of the baseline file.
    /// </summary>
    public static Baseline Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new CompressionException(ErrorCodes.BaselineMalformed,
                $"baseline file {path} is not valid JSON ({ex.Message}): rewrite it with `compress run --update-baseline`",
                new SourceLocation(path, (int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1));
        }
        var locations = JsonLocationIndex.Build(path, bytes);
        if (root is not JsonObject document)
        {
            throw Malformed(path, locations, "", "the file must hold a JSON object");
        }
        if (!document.TryGetPropertyValue("format", out JsonNode? format) || format is null)
        {
            string hint = document.ContainsKey("metrics") ? " (it has 'metrics': the format of an older compress, which kept summary numbers only)" : "";
            throw new CompressionException(ErrorCodes.BaselineOldFormat,
                $"baseline file {path} has no 'format' field{hint}; this compress reads format {CurrentFormat}, which keeps per-sample results for a paired test: rewrite it with `compress run --update-baseline` and commit it",
                locations.Locate(""));
        }
        if (format.GetValueKind() != JsonValueKind.Number || !format.AsValue().TryGetValue(out int version) || version != CurrentFormat)
        {
            throw new CompressionException(ErrorCodes.BaselineOldFormat,
                $"baseline file {path} has 'format' {format.ToJsonString()}; this compress reads format {CurrentFormat} only: rewrite it with `compress run --update-baseline` and commit it",
                locations.LocateValue("format"));
        }

        string sha = String(document, "testData.sha256", path, locations);
        int samples = Integer(document, "testData.samples", path, locations);
        string correctText = String(document, "student.correct", path, locations);
        if (correctText.Length != samples || correctText.Any(c => c is not ('0' or '1')))
        {
            throw Malformed(path, locations, "student.correct",
                $"must hold one character '0' or '1' per test sample ({samples.ToString(CultureInfo.InvariantCulture)}), got {correctText.Length.ToString(CultureInfo.InvariantCulture)} characters{(correctText.Any(c => c is not ('0' or '1')) ? " with others than '0' and '1'" : "")}");
        }
        long bytesOfModel = Whole(document, "student.modelBytes", path, locations);
        var latency = new Dictionary<int, double[]>();
        if (document["latency"] is JsonNode latencyNode)
        {
            if (latencyNode is not JsonArray entries)
            {
                throw Malformed(path, locations, "latency", "must be an array of { \"batchSize\", \"studentOverTeacher\": [...] }");
            }
            for (int i = 0; i < entries.Count; i++)
            {
                string at = $"latency[{i.ToString(CultureInfo.InvariantCulture)}]";
                int batch = Integer(entries[i], "batchSize", path, locations, at);
                if (entries[i]?["studentOverTeacher"] is not JsonArray ratios || ratios.Count == 0
                    || ratios.Any(r => r is null || r.GetValueKind() != JsonValueKind.Number || !(r.GetValue<double>() > 0) || !double.IsFinite(r.GetValue<double>())))
                {
                    throw Malformed(path, locations, $"{at}.studentOverTeacher", "must be a non-empty array of positive latency ratios");
                }
                latency[batch] = [.. ratios.Select(r => r!.GetValue<double>())];
            }
        }
        return new Baseline(sha, [.. correctText.Select(c => c == '1')], bytesOfModel, latency);
    }

    private static string String(JsonNode? node, string field, string path, JsonLocationIndex locations, string prefix = "")
    {
        JsonNode? value = Find(node, field);
        if (value is null || value.GetValueKind() != JsonValueKind.String || value.GetValue<string>().Length == 0)
        {
            throw Malformed(path, locations, JsonLocationIndex.Combine(prefix, field), "must be a non-empty string");
        }
        return value.GetValue<string>();
    }

    private static int Integer(JsonNode? node, string field, string path, JsonLocationIndex locations, string prefix = "") =>
        checked((int)Math.Min(Whole(node, field, path, locations, prefix, int.MaxValue), int.MaxValue));

    private static long Whole(JsonNode? node, string field, string path, JsonLocationIndex locations, string prefix = "", long max = long.MaxValue)
    {
        JsonNode? value = Find(node, field);
        if (value is null || value.GetValueKind() != JsonValueKind.Number || !value.AsValue().TryGetValue(out long number) || number < 1 || number > max)
        {
            throw Malformed(path, locations, JsonLocationIndex.Combine(prefix, field), "must be a positive whole number");
        }
        return number;
    }

    private static JsonNode? Find(JsonNode? node, string dotted)
    {
        foreach (string part in dotted.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }
        return node;
    }

    private static CompressionException Malformed(string path, JsonLocationIndex locations, string field, string expectation) =>
        new(ErrorCodes.BaselineMalformed,
            $"baseline file {path}: '{(field.Length == 0 ? "(root)" : field)}' {expectation}; rewrite it with `compress run --update-baseline`",
            locations.Locate(field));
}
