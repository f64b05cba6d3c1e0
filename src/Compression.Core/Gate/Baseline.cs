using Compression.Abstractions.Artifacts;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Compression.Core.Cache;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Results;

namespace Compression.Core.Gate;

/// <summary>
/// A committed record of a previous run, holding what a statistical comparison needs rather than
/// summary numbers: which test samples the student got right (so a paired test can compare the next
/// student sample by sample), the identity of the test data (a different test set makes the pairing
/// meaningless), the student's size, and the student model itself, content-hashed, so that the next
/// run times it beside its own student on the same machine at the same moment
/// (<see cref="BaselineLatency"/>) instead of comparing with times taken elsewhere.
/// Written by <c>compress run --update-baseline</c>; read by <see cref="BaselineComparer"/>.
/// </summary>
/// <param name="TestDataSha256">SHA-256 of the test split's files (<see cref="TestSetIdentity"/>).</param>
/// <param name="StudentCorrect">Per test sample, in file order: whether the final student's top-1 class was the label.</param>
/// <param name="StudentModelBytes">Size of the final student's ONNX file.</param>
/// <param name="Model">The student's ONNX file (beside the baseline file once written); null in a format-2 file, which kept none.</param>
public sealed record Baseline(string TestDataSha256, bool[] StudentCorrect, long StudentModelBytes, BaselineModel? Model)
{
    /// <summary>The format this version writes. It also reads format 2 (no model: latency is not compared); version 1 (summary metrics only) is refused, it cannot support a paired test.</summary>
    public const int CurrentFormat = 3;

    /// <summary>The oldest format this version reads.</summary>
    public const int OldestReadFormat = 2;

    /// <summary>The student's test accuracy, recomputed from the per-sample record.</summary>
    public double StudentAccuracy => StudentCorrect.Length == 0 ? 0 : (double)StudentCorrect.Count(c => c) / StudentCorrect.Length;

    /// <summary>Where the baseline at <paramref name="baselinePath"/> keeps its model: beside it, named after it (<c>compression.baseline.onnx</c>).</summary>
    public static string ModelPathFor(string baselinePath) => Path.ChangeExtension(baselinePath, ".onnx");

    /// <summary>
    /// Writes the model beside the file, then the file, each atomically (temp file, then rename), so
    /// the file never names a model that is not there.
    /// </summary>
    public void Write(string path)
    {
        ArgumentNullException.ThrowIfNull(Model);
        string modelPath = ModelPathFor(path);
        if (!string.Equals(Path.GetFullPath(Model.Path), Path.GetFullPath(modelPath), StringComparison.Ordinal))
        {
            AtomicFile.Copy(Model.Path, modelPath);
        }
        var document = new JsonObject
        {
            ["format"] = CurrentFormat,
            ["comment"] = "Written by `compress run --update-baseline`; commit it with the model beside it. CMP3101 flags a regression from it only when a paired test says so; latency is judged by timing that model beside the new student.",
            ["testData"] = new JsonObject { ["sha256"] = TestDataSha256, ["samples"] = StudentCorrect.Length },
            ["student"] = new JsonObject
            {
                ["accuracy"] = Math.Round(StudentAccuracy, 6),
                ["modelBytes"] = StudentModelBytes,
                ["model"] = new JsonObject { ["file"] = Path.GetFileName(modelPath), ["sha256"] = Model.Sha256 },
                // One character per test sample ('1' right, '0' wrong): a diff of this line shows which samples changed.
                ["correct"] = new string([.. StudentCorrect.Select(c => c ? '1' : '0')]),
            },
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
        if (format.GetValueKind() != JsonValueKind.Number || !format.AsValue().TryGetValue(out int version) || version is < OldestReadFormat or > CurrentFormat)
        {
            throw new CompressionException(ErrorCodes.BaselineOldFormat,
                $"baseline file {path} has 'format' {format.ToJsonString()}; this compress reads formats {OldestReadFormat} and {CurrentFormat}: rewrite it with `compress run --update-baseline` and commit it",
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
        bool[] correct = [.. correctText.Select(c => c == '1')];
        CheckAccuracy(document, correct, path, locations);
        BaselineModel? model = version >= 3 ? ReadModel(document, path, locations) : null;
        return new Baseline(sha, correct, bytesOfModel, model);
    }

    /// <summary>'student.accuracy' must be the accuracy that 'student.correct' gives: a file that says otherwise was edited by hand.</summary>
    private static void CheckAccuracy(JsonObject document, bool[] correct, string path, JsonLocationIndex locations)
    {
        JsonNode? value = Find(document, "student.accuracy");
        double recomputed = (double)correct.Count(c => c) / correct.Length;
        if (value is null || value.GetValueKind() != JsonValueKind.Number)
        {
            throw Malformed(path, locations, "student.accuracy", string.Create(CultureInfo.InvariantCulture, $"must be a number, the share of '1's in 'student.correct' ({recomputed:0.######})"));
        }
        double stated = value.GetValue<double>();
        if (!(Math.Abs(stated - recomputed) <= 1e-6))
        {
            throw Malformed(path, locations, "student.accuracy", string.Create(CultureInfo.InvariantCulture,
                $"is {stated:0.######} but 'student.correct' gives {recomputed:0.######} ({correct.Count(c => c)} of {correct.Length} right): the two contradict each other"));
        }
    }

    /// <summary>The model a format-3 file keeps beside it, checked against its recorded SHA-256.</summary>
    private static BaselineModel ReadModel(JsonObject document, string path, JsonLocationIndex locations)
    {
        string file = String(document, "student.model.file", path, locations);
        string sha = String(document, "student.model.sha256", path, locations);
        if (file != Path.GetFileName(file))
        {
            throw Malformed(path, locations, "student.model.file", $"must be a file name beside the baseline file, got '{file}'");
        }
        string modelPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, file);
        if (!File.Exists(modelPath))
        {
            throw Malformed(path, locations, "student.model.file", $"names {modelPath}, which does not exist (commit it with the baseline file)");
        }
        string actual = ContentHash.OfFile(modelPath);
        if (!string.Equals(actual, sha, StringComparison.OrdinalIgnoreCase))
        {
            throw Malformed(path, locations, "student.model.sha256", $"is {sha} but {modelPath} hashes to {actual}: the model was changed after the baseline was written");
        }
        return new BaselineModel(modelPath, actual);
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

/// <summary>A baseline's student model: its file and SHA-256.</summary>
public sealed record BaselineModel(string Path, string Sha256);
