using System.Text.Json;
using Compression.Abstractions.Data;
using Compression.Abstractions.Stages;
using Compression.Core.Cache;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Running;
using Compression.Core.Teacher.Backbone;
using Compression.Data.Loading;
using Compression.Models.Evaluation.Embeddings;
using Compression.Models.Export;
using Compression.Models.Spec;
using Compression.Models;
using Compression.Models.Training;
using Compression.Onnx;

namespace Compression.Core.Teacher;

/// <summary>
/// Produces the teacher's ONNX file: the user's file as given, one built from it (a preprocessing graph,
/// the adaptation to its declared input, a fitted linear head: <see cref="BackboneTeacher"/>), or a spec trained once in TorchSharp,
/// exported and cached by the hash of (spec, training settings, data, seed, trainer code).
/// Either way the file is checked against the data set before any stage runs.
/// </summary>
public static class TeacherResolver
{
    /// <summary>The folder, beside a trained teacher's ONNX file, holding it as a torch-model artifact.</summary>
    public const string TorchModelFolder = "teacher-torch";

    /// <summary>
    /// Resolves every teacher of the config (<c>teacher</c>, or each of <c>teachers</c>, each cached on
    /// its own); a spec is trained on <paramref name="teacherTrain"/> (every labelled training row), not
    /// only on the students' labelled subset. Weights are normalised to sum to 1.
    /// </summary>
    /// <param name="normalization">What the loader did to the samples (a teacher with a declared <c>input</c> undoes it in its graph).</param>
    public static TeacherSet ResolveAll(
        LoadedConfig loaded, DataSplits data, LabelledData teacherTrain, InputNormalization normalization, IMemoryBudget budget, ArtifactCache cache,
        IProgress<string> progress, CancellationToken cancellationToken)
    {
        List<Finding> problems = TeacherPreflight.Check(loaded, budget);
        if (problems.Count > 0)
        {
            throw new CompressionException(problems);
        }
        var entries = TeacherPreflight.Entries(loaded.Config);
        var teachers = entries.Select(e => Resolve(loaded, e.Config, e.Path, e.Name, data, teacherTrain, normalization, cache, progress, cancellationToken)).ToList();
        double total = entries.Sum(e => e.Config.Weight);
        return new TeacherSet(teachers, entries.Select(e => e.Config.Weight / total).ToList());
    }

    /// <summary>Resolves one teacher entry that passed <see cref="TeacherPreflight.CheckEntry"/>.</summary>
    private static CachedTeacher Resolve(
        LoadedConfig loaded, TeacherConfig config, string path, string name, DataSplits data, LabelledData teacherTrain, InputNormalization normalization,
        ArtifactCache cache, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var locations = loaded.Locations;
        if (config.SentenceEncoder is JsonElement encoder)
        {
            return ResolveSentenceEncoder(loaded, SentenceEncoderSource.Parse(loaded, encoder, path), path, name, data, cache, progress, cancellationToken);
        }
        string onnxPath = BackboneTeacher.Applies(config)
            ? BackboneTeacher.Build(loaded, config, path, name, data, normalization, cache, progress, cancellationToken)
            : config.Onnx is not null
            ? loaded.Resolve(config.Onnx)
            : Train(loaded, config, path, name, config.Model!.Value, data, teacherTrain, cache, progress, cancellationToken);
        // A trained spec keeps its TorchSharp model beside the ONNX file (a first 'prune' stage prunes it).
        string? torchModel = config.Onnx is null ? Path.Combine(Path.GetDirectoryName(onnxPath)!, TorchModelFolder) : null;

        long parameters;
        try
        {
            using var session = new OnnxInferenceSession(onnxPath);
            CheckShape(session, ShownName(config, onnxPath), path, data, loaded);
            parameters = OnnxModelInfo.CountParameters(onnxPath);
        }
        catch (OnnxFormatException ex)
        {
            throw new CompressionException(ErrorCodes.TeacherInvalid, $"the teacher is not a usable ONNX model: {ex.Message}",
                locations.LocateValue(config.Onnx is not null ? $"{path}.onnx" : $"{path}.model"));
        }
        return new CachedTeacher(name, onnxPath, TeacherHash.Of(onnxPath), parameters, data, cache) { TorchModelPath = torchModel, Progress = progress };
    }

    /// <summary>
    /// A sentence encoder as the teacher: its files (MiniLM extracted into the teacher cache), checked to be a
    /// BERT-family encoder, on the text format's [2, L] samples; its embeddings per split are cached like logits.
    /// </summary>
    private static CachedTeacher ResolveSentenceEncoder(
        LoadedConfig loaded, SentenceEncoderSource source, string path, string name, DataSplits data, ArtifactCache cache, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var location = loaded.Locations.LocateValue($"{path}.sentenceEncoder");
        if (data.Train.SampleShape is not [2, _])
        {
            throw new CompressionException(ErrorCodes.ShapeMismatch,
                $"'{path}.sentenceEncoder' takes token ids and an attention mask, samples of shape [2, length] (\"format\": \"text\"), but the data's samples have shape [{string.Join(", ", data.Train.SampleShape)}]",
                location);
        }
        EncoderFiles files = source.Resolve(loaded, path, cache.Root, cancellationToken);
        int hidden;
        try
        {
            hidden = SentenceEncoderEmbeddings.HiddenSize(files.ModelPath);
        }
        catch (Exception ex) when (ex is OnnxFormatException or InvalidDataException)
        {
            throw new CompressionException(ErrorCodes.TeacherInvalid, $"'{path}.sentenceEncoder' is not a usable BERT-family sentence encoder: {ex.Message}", location);
        }
        progress.Report(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{name}: sentence encoder {Path.GetFileName(files.ModelPath)} ({(source.IsPackaged ? $"all-MiniLM-L6-v2 from {MiniLmPackage.PackageId} {MiniLmPackage.Version}" : files.ModelPath)}), {hidden}-dimensional embeddings"));
        // The vocabulary is part of the teacher: the same graph over other token ids is another model.
        string hash = new ContentHash.KeyBuilder().Add("sentence-encoder/1").Add(TeacherHash.Of(files.ModelPath)).Add(files.VocabularySha256).Build();
        return new CachedTeacher(name, files.ModelPath, hash, OnnxModelInfo.CountParameters(files.ModelPath), data, cache)
        {
            SentenceEncoder = files,
            Progress = progress,
        };
    }

    private static void CheckShape(OnnxInferenceSession session, string shownName, string path, DataSplits data, LoadedConfig loaded)
    {
        int[] expected = data.Train.SampleShape;
        long[] actual = session.InputShape.Skip(1).ToArray();
        long actualSize = actual.Aggregate(1L, (a, b) => a * Math.Max(b, 1));
        // A dynamic dimension (a transformer's sequence length, exported symbolic) takes the samples' size
        // there; the fixed ones must match. Without one, any shape of the samples' size will do (a flat input).
        bool fits = actual.Any(d => d <= 0)
            ? actual.Length == expected.Length && actual.Zip(expected).All(p => p.First <= 0 || p.First == p.Second)
            : actual.Length > 0 && actualSize == data.Train.SampleSize;
        if (!fits)
        {
            throw new CompressionException(ErrorCodes.ShapeMismatch,
                $"teacher {shownName} takes input [{string.Join(", ", session.InputShape)}] but samples have shape [{string.Join(", ", expected)}]",
                loaded.Locations.Locate(path));
        }
        if (session.OutputWidth >= 0 && session.OutputWidth != data.ClassCount)
        {
            throw new CompressionException(ErrorCodes.ShapeMismatch,
                $"teacher {shownName} gives {session.OutputWidth} scores per sample but the data has {data.ClassCount} classes: every teacher must give one score per class of the data{(session.OutputWidth > data.ClassCount ? " (for a backbone that gives features, add \"head\": \"fit\" to fit a classifier on them)" : "")}",
                loaded.Locations.Locate(path));
        }
    }

    /// <summary>How messages name a teacher: the user's file (as built, when something was added to it), else the trained one.</summary>
    private static string ShownName(TeacherConfig config, string onnxPath)
    {
        if (config.Onnx is null)
        {
            return Path.GetFileName(onnxPath);
        }
        string[] added = [.. new[] { (config.Head, "fitted head"), (config.Preprocess, "preprocessing"), ((object?)config.Input, "declared input") }
            .Where(a => a.Item1 is not null).Select(a => a.Item2)];
        return added.Length == 0 ? Path.GetFileName(config.Onnx) : $"{Path.GetFileName(config.Onnx)} (with its {string.Join(", ", added)})";
    }

    private static string Train(
        LoadedConfig loaded, TeacherConfig config, string path, string name, JsonElement specJson, DataSplits data, LabelledData teacherTrain,
        ArtifactCache cache, IProgress<string> progress, CancellationToken cancellationToken)
    {
        ModelSpec spec = TeacherPreflight.Parse(loaded, specJson, path);
        CheckSpecFitsData(spec, path, data, loaded);

        TrainingSettings training = config.Training;
        string key = new ContentHash.KeyBuilder()
            .Add("teacher/3")
            .Add(spec.ToJson())
            .Add(JsonSerializer.Serialize(training, SettingsBinder.SerializerOptions))
            // What this teacher trains and validates on, not the whole data set's hash: hiding labels
            // from the students (data.labeledCount) or adding transfer data leaves the teacher as it is.
            .Add(ContentHash.OfSamples(teacherTrain))
            .Add(ContentHash.OfSamples(data.Validation))
            .Add(loaded.Config.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add(ContentHash.OfAssembly(typeof(SupervisedTrainer).Assembly))
            .Build();
        if (cache.TryGet(key) is CacheEntry cached)
        {
            progress.Report($"{name}: reused from the cache");
            return cached.PathOf("teacher.onnx");
        }

        string rows = teacherTrain.Count > data.Train.Count
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" on all {teacherTrain.Count:N0} labelled rows (data.labeledCount hides labels from the students only)")
            : "";
        progress.Report($"{name}: training the {spec.Layers.Count}-layer spec{rows} for {training.Epochs} epochs (once; cached afterwards)");
        string scratch = cache.CreateScratch();
        try
        {
            using var model = ModelFactory.Create(spec, loaded.Config.Seed);
            TrainingOptions options = training.ToOptions(loaded.Config.Seed);
            var epochs = new SynchronousProgress<EpochReport>(e => progress.Report(
                $"{name}: epoch {e.Epoch}/{e.Epochs} loss {e.TrainLoss:0.0000} val acc {e.ValidationAccuracy:0.0000} ETA {e.Remaining:m\\:ss}"));
            var summary = SupervisedTrainer.Train(model, teacherTrain, data.Validation, options, Losses.CrossEntropy, epochs, cancellationToken);
            string onnx = Path.Combine(scratch, "teacher.onnx");
            OnnxExporter.Export(model, onnx);
            TorchModelArtifact.Save(model, Path.Combine(scratch, TorchModelFolder));
            var entry = cache.Commit(key, scratch, [new Compression.Abstractions.Artifacts.Artifact(Compression.Abstractions.Artifacts.ArtifactKind.OnnxModel, onnx)],
                [new Compression.Abstractions.Metrics.Metric("teacher.validation_accuracy", summary.ValidationAccuracy, "ratio")], null);
            return entry.PathOf("teacher.onnx");
        }
        catch (TrainingDivergedException ex)
        {
            cache.Discard(scratch);
            throw new CompressionException(ErrorCodes.TrainingDiverged, $"{name}: {ex.Message}", loaded.Locations.Locate($"{path}.training.learningRate"));
        }
        catch
        {
            cache.Discard(scratch);
            throw;
        }
    }

    private static void CheckSpecFitsData(ModelSpec spec, string path, DataSplits data, LoadedConfig loaded)
    {
        if (!spec.Input.SequenceEqual(data.Train.SampleShape))
        {
            throw new CompressionException(ErrorCodes.ShapeMismatch,
                $"{path}.model.input is [{string.Join(", ", spec.Input)}] but the data's samples have shape [{string.Join(", ", data.Train.SampleShape)}]",
                loaded.Locations.Locate($"{path}.model.input"));
        }
        int[] output = spec.OutputShape();
        if (output.Length != 1 || output[0] != data.ClassCount)
        {
            throw new CompressionException(ErrorCodes.ShapeMismatch,
                $"the teacher's last layer gives [{string.Join(", ", output)}] but the data has {data.ClassCount} classes: end the spec with {{\"type\": \"linear\", \"out\": {data.ClassCount}}}",
                loaded.Locations.Locate($"{path}.model.layers"));
        }
    }
}
