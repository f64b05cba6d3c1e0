using System.Text.Json;
using Compression.Abstractions.Data;
using Compression.Abstractions.Stages;
using Compression.Core.Cache;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Models;
using Compression.Models.Training;
using Compression.Onnx;

namespace Compression.Core.Teacher;

/// <summary>
/// Produces the teacher's ONNX file: the user's file as given, or a spec trained once in TorchSharp,
/// exported and cached by the hash of (spec, training settings, data, seed, trainer code).
/// Either way the file is checked against the data set before any stage runs.
/// </summary>
public static class TeacherResolver
{
    /// <summary>Resolves the teacher; a spec is trained on <paramref name="teacherTrain"/> (every labelled training row), not only on the students' labelled subset.</summary>
    public static CachedTeacher Resolve(LoadedConfig loaded, DataSplits data, LabelledData teacherTrain, ArtifactCache cache, IProgress<string> progress, CancellationToken cancellationToken)
    {
        TeacherConfig config = loaded.Config.Teacher!;
        var locations = loaded.Locations;
        string onnxPath;
        if (config.Onnx is not null && config.Model is not null)
        {
            throw new CompressionException(ErrorCodes.InvalidValue,
                "'teacher' has both \"onnx\" and \"model\": give one (an ONNX file, or a spec to train)", locations.Locate("teacher.model"));
        }
        if (config.Onnx is not null)
        {
            onnxPath = loaded.Resolve(config.Onnx);
            if (!File.Exists(onnxPath))
            {
                throw new CompressionException(ErrorCodes.DataNotFound, $"teacher model not found: {onnxPath}", locations.LocateValue("teacher.onnx"));
            }
        }
        else if (config.Model is JsonElement spec)
        {
            onnxPath = Train(loaded, spec, data, teacherTrain, cache, progress, cancellationToken);
        }
        else
        {
            throw new CompressionException(ErrorCodes.MissingField,
                "'teacher' needs \"onnx\": \"path/to/teacher.onnx\" or \"model\": { a model spec to train }", locations.Locate("teacher"));
        }

        long parameters;
        try
        {
            using var session = new OnnxInferenceSession(onnxPath);
            CheckShape(session, onnxPath, data, loaded);
            parameters = OnnxModelInfo.CountParameters(onnxPath);
        }
        catch (OnnxFormatException ex)
        {
            throw new CompressionException(ErrorCodes.TeacherInvalid, $"the teacher is not a usable ONNX model: {ex.Message}",
                locations.LocateValue(config.Onnx is not null ? "teacher.onnx" : "teacher.model"));
        }
        return new CachedTeacher("teacher", onnxPath, ContentHash.OfFile(onnxPath), parameters, data, cache);
    }

    private static void CheckShape(OnnxInferenceSession session, string onnxPath, DataSplits data, LoadedConfig loaded)
    {
        int[] expected = data.Train.SampleShape;
        long[] actual = session.InputShape.Skip(1).ToArray();
        long actualSize = actual.Aggregate(1L, (a, b) => a * Math.Max(b, 1));
        if (actual.Length == 0 || actualSize != data.Train.SampleSize)
        {
            throw new CompressionException(ErrorCodes.ShapeMismatch,
                $"teacher {Path.GetFileName(onnxPath)} takes input [{string.Join(", ", session.InputShape)}] but samples have shape [{string.Join(", ", expected)}]",
                loaded.Locations.Locate("teacher"));
        }
    }

    private static string Train(LoadedConfig loaded, JsonElement specJson, DataSplits data, LabelledData teacherTrain, ArtifactCache cache, IProgress<string> progress, CancellationToken cancellationToken)
    {
        ModelSpec spec;
        try
        {
            spec = ModelSpec.Parse(specJson, "teacher.model");
        }
        catch (ModelSpecException ex)
        {
            throw new CompressionException(ErrorCodes.InvalidModelSpec, ex.Message, loaded.Locations.Locate(ex.JsonPath));
        }
        CheckSpecFitsData(spec, data, loaded);

        TrainingSettings training = loaded.Config.Teacher!.Training;
        string key = new ContentHash.KeyBuilder()
            .Add("teacher/1")
            .Add(spec.ToJson())
            .Add(JsonSerializer.Serialize(training, SettingsBinder.SerializerOptions))
            .Add(data.ContentHash)
            .Add(loaded.Config.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add(ContentHash.OfAssembly(typeof(SupervisedTrainer).Assembly))
            .Build();
        if (cache.TryGet(key) is CacheEntry cached)
        {
            progress.Report("teacher: reused from the cache");
            return cached.PathOf("teacher.onnx");
        }

        string rows = teacherTrain.Count > data.Train.Count
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" on all {teacherTrain.Count:N0} labelled rows (data.labeledCount hides labels from the students only)")
            : "";
        progress.Report($"teacher: training the {spec.Layers.Count}-layer spec{rows} for {training.Epochs} epochs (once; cached afterwards)");
        string scratch = cache.CreateScratch();
        try
        {
            using var model = ModelFactory.Create(spec, loaded.Config.Seed);
            TrainingOptions options = training.ToOptions(loaded.Config.Seed);
            var epochs = new SynchronousProgress<EpochReport>(e => progress.Report(
                $"teacher: epoch {e.Epoch}/{e.Epochs} loss {e.TrainLoss:0.0000} val acc {e.ValidationAccuracy:0.0000} ETA {e.Remaining:m\\:ss}"));
            var summary = SupervisedTrainer.Train(model, teacherTrain, data.Validation, options, Losses.CrossEntropy, epochs, cancellationToken);
            string onnx = Path.Combine(scratch, "teacher.onnx");
            OnnxExporter.Export(model, onnx);
            var entry = cache.Commit(key, scratch, [new Compression.Abstractions.Artifacts.Artifact(Compression.Abstractions.Artifacts.ArtifactKind.OnnxModel, onnx)],
                [new Compression.Abstractions.Metrics.Metric("teacher.validation_accuracy", summary.ValidationAccuracy, "ratio")], null);
            return entry.PathOf("teacher.onnx");
        }
        catch
        {
            cache.Discard(scratch);
            throw;
        }
    }

    private static void CheckSpecFitsData(ModelSpec spec, DataSplits data, LoadedConfig loaded)
    {
        if (!spec.Input.SequenceEqual(data.Train.SampleShape))
        {
            throw new CompressionException(ErrorCodes.ShapeMismatch,
                $"teacher.model.input is [{string.Join(", ", spec.Input)}] but the data's samples have shape [{string.Join(", ", data.Train.SampleShape)}]",
                loaded.Locations.Locate("teacher.model.input"));
        }
        int[] output = spec.OutputShape();
        if (output.Length != 1 || output[0] != data.ClassCount)
        {
            throw new CompressionException(ErrorCodes.ShapeMismatch,
                $"the teacher's last layer gives [{string.Join(", ", output)}] but the data has {data.ClassCount} classes: end the spec with {{\"type\": \"linear\", \"out\": {data.ClassCount}}}",
                loaded.Locations.Locate("teacher.model.layers"));
        }
    }
}
