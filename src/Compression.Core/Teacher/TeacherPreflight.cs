using System.Globalization;
using System.Text.Json;
using Compression.Abstractions.Stages;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Models.Spec;
using Compression.Models;
using Compression.Onnx;

namespace Compression.Core.Teacher;

/// <summary>
/// What can be known about the teachers from the config alone, checked before any data is read or
/// model allocated (by <c>compress validate</c> and at the start of a run): each entry gives an ONNX
/// file that exists or a spec that parses, names are distinct, and the model fits the memory budget,
/// estimated from a spec's shapes or from the ONNX file's size and declared initializers.
/// </summary>
public static class TeacherPreflight
{
    /// <summary>
    /// The config's teachers: <c>teacher</c>, or each of <c>teachers</c>, with their config paths and names;
    /// or, for a pipeline that starts from the app's model, that model (path <c>model</c>, name "model"),
    /// the reference its result is compared with.
    /// </summary>
    public static IReadOnlyList<(TeacherConfig Config, string Path, string Name)> Entries(CompressionConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Teachers is { Count: > 0 } list)
        {
            return list.Select((t, i) => (Config: t, Path: $"teachers[{i}]", Name: t.Name ?? $"teacher{i + 1}")).ToList();
        }
        if (config.Teacher is not null)
        {
            return [(Config: config.Teacher, Path: "teacher", Name: config.Teacher.Name ?? "teacher")];
        }
        return config.Model is { Onnx: not null } model
            ? [(Config: new TeacherConfig { Name = AppModelName, Onnx = model.Onnx, Head = model.Head, Preprocess = model.Preprocess, License = model.License, Terms = model.Terms }, Path: "model", Name: AppModelName)]
            : [];
    }

    /// <summary>The name reports give the app's model (<c>"model"</c>) where they name teachers.</summary>
    public const string AppModelName = "model";

    /// <summary>Every problem with every teacher, as findings (empty when all is well).</summary>
    public static List<Finding> Check(LoadedConfig loaded, IMemoryBudget budget)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        var entries = Entries(loaded.Config);
        var findings = new List<Finding>();
        var duplicate = entries.GroupBy(e => e.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            findings.Add(new Finding(Severity.Error, ErrorCodes.InvalidValue,
                $"two teachers are named \"{duplicate.Key}\": give each a different \"name\"", loaded.Locations.Locate(duplicate.Last().Path)));
        }
        CheckTask(loaded, entries, findings);
        foreach (var (config, path, _) in entries)
        {
            try
            {
                CheckEntry(loaded, config, path, budget);
            }
            catch (CompressionException ex)
            {
                findings.AddRange(ex.Findings);
            }
        }
        return findings;
    }

    /// <summary>The task named <see cref="EmbeddingTask"/>.</summary>
    public const string EmbeddingTask = "embedding";

    /// <summary>
    /// A sentence encoder teaches the embedding task and nothing else, and the embedding task needs one:
    /// a single <c>teacher</c> with <c>sentenceEncoder</c> (its embeddings are what the student learns and is measured against).
    /// </summary>
    private static void CheckTask(LoadedConfig loaded, IReadOnlyList<(TeacherConfig Config, string Path, string Name)> entries, List<Finding> findings)
    {
        bool embedding = string.Equals(loaded.Config.Task, EmbeddingTask, StringComparison.OrdinalIgnoreCase);
        foreach (var (config, path, _) in entries)
        {
            if (config.SentenceEncoder is null)
            {
                continue;
            }
            if (!embedding)
            {
                findings.Add(new Finding(Severity.Error, ErrorCodes.InvalidValue,
                    $"'{path}.sentenceEncoder' gives sentence embeddings, not class scores, so it cannot teach the task '{loaded.Config.Task}': set \"task\": \"{EmbeddingTask}\" at the top of compression.json",
                    loaded.Locations.Locate($"{path}.sentenceEncoder")));
            }
            else if (path != "teacher")
            {
                findings.Add(new Finding(Severity.Error, ErrorCodes.InvalidValue,
                    $"'{path}.sentenceEncoder': the embedding task takes one teacher: give it as \"teacher\", not in \"teachers\"",
                    loaded.Locations.Locate($"{path}.sentenceEncoder")));
            }
        }
        if (embedding && !entries.Any(e => e.Config.SentenceEncoder is not null))
        {
            findings.Add(new Finding(Severity.Error, ErrorCodes.MissingField,
                $"the task '{EmbeddingTask}' needs a sentence-encoder teacher: \"teacher\": {{ \"sentenceEncoder\": \"{SentenceEncoderSource.MiniLm}\" }} or {{ \"sentenceEncoder\": {{ \"onnx\": \"encoder.onnx\", \"vocab\": \"vocab.txt\" }} }}",
                loaded.Locations.Locate(entries.Count > 0 ? entries[0].Path : "task")));
        }
    }

    /// <summary>Throws <see cref="CompressionException"/> for the first problem with one teacher entry.</summary>
    public static void CheckEntry(LoadedConfig loaded, TeacherConfig config, string path, IMemoryBudget budget)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(budget);
        var locations = loaded.Locations;
        if (config.SentenceEncoder is JsonElement encoder)
        {
            string? other = config.Onnx is not null ? "onnx" : config.Model is not null ? "model" : config.Head is not null ? "head"
                : config.Preprocess is not null ? "preprocess" : config.Input is not null ? "input" : null;
            if (other is not null)
            {
                throw new CompressionException(ErrorCodes.InvalidValue,
                    $"'{path}' has both \"sentenceEncoder\" and \"{other}\": a sentence encoder is the whole teacher, give one", locations.Locate($"{path}.{other}"));
            }
            SentenceEncoderSource source = SentenceEncoderSource.Parse(loaded, encoder, path);
            if (source.OnnxPath is string onnx)
            {
                CheckOnnxSize(onnx, budget, locations.LocateValue($"{path}.sentenceEncoder.onnx"));
            }
            return;
        }
        if (config.Onnx is not null && config.Model is not null)
        {
            throw new CompressionException(ErrorCodes.InvalidValue,
                $"'{path}' has both \"onnx\" and \"model\": give one (an ONNX file, or a spec to train)", locations.Locate($"{path}.model"));
        }
        if (config.Model is not null && (config.Head ?? config.Preprocess ?? (object?)config.Input) is not null)
        {
            string field = config.Head is not null ? "head" : config.Preprocess is not null ? "preprocess" : "input";
            throw new CompressionException(ErrorCodes.InvalidValue,
                $"'{path}.{field}' applies to a teacher given as an ONNX file (\"onnx\"), not to a spec the pipeline trains", locations.Locate($"{path}.{field}"));
        }
        if (config.Head is not null && config.Head != Backbone.BackboneTeacher.FitHead)
        {
            throw new CompressionException(ErrorCodes.InvalidValue,
                $"'{path}.head' must be \"{Backbone.BackboneTeacher.FitHead}\" (fit a linear classifier on the ONNX model's features of the labelled rows), not \"{config.Head}\"", locations.LocateValue($"{path}.head"));
        }
        if (config.Input is not null)
        {
            AppModel.InputContract.Parse(config.Input, locations, $"{path}.input");
        }
        if (config.Preprocess is not null)
        {
            string preprocessPath = loaded.Resolve(config.Preprocess);
            if (NotRegularFile.Check($"{path}.preprocess", preprocessPath, "a regular ONNX model file", locations.LocateValue($"{path}.preprocess")) is Finding notRegular)
            {
                throw new CompressionException([notRegular]);
            }
            if (!File.Exists(preprocessPath))
            {
                throw new CompressionException(ErrorCodes.DataNotFound, $"preprocessing graph not found: {preprocessPath}", locations.LocateValue($"{path}.preprocess"));
            }
        }
        if (config.Onnx is not null)
        {
            string onnxPath = loaded.Resolve(config.Onnx);
            if (NotRegularFile.Check($"{path}.onnx", onnxPath, "a regular ONNX model file", locations.LocateValue($"{path}.onnx")) is Finding notRegular)
            {
                throw new CompressionException([notRegular]);
            }
            if (!File.Exists(onnxPath))
            {
                throw new CompressionException(ErrorCodes.DataNotFound, $"{(path == "model" ? "model" : "teacher model")} not found: {onnxPath}", locations.LocateValue($"{path}.onnx"));
            }
            CheckOnnxSize(onnxPath, budget, locations.LocateValue($"{path}.onnx"));
        }
        else if (config.Model is JsonElement specJson)
        {
            ModelSpec spec = Parse(loaded, specJson, path);
            if (MemoryEstimate.Check(spec, config.Training.BatchSize, budget.Bytes, budget.Source, $"{path}.model", out string layerPath) is string message)
            {
                throw new CompressionException(ErrorCodes.ModelTooLargeForMemory, $"'{path}.model': {message}", locations.Locate(layerPath));
            }
        }
        else
        {
            throw new CompressionException(ErrorCodes.MissingField,
                $"'{path}' needs \"onnx\": \"path/to/teacher.onnx\" or \"model\": {{ a model spec to train }} (or, for the embedding task, \"sentenceEncoder\")", locations.Locate(path));
        }
    }

    /// <summary>Parses a teacher's spec, reporting errors at their path.</summary>
    public static ModelSpec Parse(LoadedConfig loaded, JsonElement specJson, string path)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        try
        {
            return ModelSpec.Parse(specJson, $"{path}.model");
        }
        catch (ModelSpecException ex)
        {
            throw new CompressionException(ErrorCodes.InvalidModelSpec, ex.Message, loaded.Locations.Locate(ex.JsonPath));
        }
    }

    /// <summary>
    /// An ONNX teacher is refused before ONNX Runtime loads it when its file, or the initializers it
    /// declares (which ONNX Runtime allocates as declared), exceed the budget.
    /// </summary>
    private static void CheckOnnxSize(string onnxPath, IMemoryBudget budget, SourceLocation location)
    {
        long fileBytes = new FileInfo(onnxPath).Length;
        double declared = fileBytes;
        if (fileBytes <= budget.Bytes)
        {
            try
            {
                declared = Math.Max(fileBytes, OnnxModelInfo.DeclaredInitializerBytes(onnxPath));
            }
            catch (OnnxFormatException)
            {
                return; // Not a model at all: resolving it reports that, with its own code.
            }
        }
        if (declared > budget.Bytes)
        {
            throw new CompressionException(ErrorCodes.ModelTooLargeForMemory, string.Create(CultureInfo.InvariantCulture,
                $"teacher {Path.GetFileName(onnxPath)} needs at least {MemoryEstimate.Format(declared)} for its weights, above the limit of {MemoryEstimate.Format(budget.Bytes)} ({budget.Source})"), location);
        }
    }
}
