using System.Diagnostics;
using System.Globalization;
using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Data;
using Compression.Abstractions.Metrics;
using Compression.Core.AppModel;
using Compression.Core.Cache;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Running;
using Compression.Data.Loading;
using Compression.Models.Training;
using Compression.Onnx;
using Compression.Onnx.Proto;

namespace Compression.Core.Teacher.Backbone;

/// <summary>
/// A teacher made from an ONNX file the data do not fit as is: an optional preprocessing graph chained
/// in front (<c>preprocess</c>), the adaptation of the pipeline's samples to the declared input
/// (<c>input</c>: <see cref="InputAdapter"/>), and, with <c>"head": "fit"</c>, a linear probe fitted on the
/// backbone's features of the labelled training rows the students see (<see cref="LinearProbe"/>). The
/// result is one ONNX classifier, cached by the hash of everything it was made from.
/// </summary>
internal static class BackboneTeacher
{
    /// <summary>The value of <c>head</c> that fits a linear probe.</summary>
    public const string FitHead = "fit";

    /// <summary>Whether the teacher entry needs building rather than being used as its file.</summary>
    public static bool Applies(TeacherConfig config) =>
        config.Onnx is not null && (config.Head is not null || config.Preprocess is not null || config.Input is not null);

    /// <summary>The built teacher's ONNX file (from the cache when it was built before).</summary>
    public static string Build(
        LoadedConfig loaded, TeacherConfig config, string path, string name, DataSplits data, InputNormalization normalization,
        ArtifactCache cache, IProgress<string> progress, CancellationToken cancellationToken)
    {
        string backbonePath = loaded.Resolve(config.Onnx!);
        string? preprocessPath = config.Preprocess is null ? null : loaded.Resolve(config.Preprocess);
        InputContract? contract = config.Input is null ? null : InputContract.Parse(config.Input, loaded.Locations, $"{path}.input");
        bool fit = config.Head == FitHead;
        var key = new ContentHash.KeyBuilder()
            .Add("teacher-backbone/1")
            .Add(TeacherHash.Of(backbonePath))
            .Add(preprocessPath is null ? "-" : TeacherHash.Of(preprocessPath))
            .Add(contract is null ? "-" : Describe(contract))
            .Add(string.Join(',', data.Train.SampleShape))
            .Add(Describe(normalization))
            .Add(config.Head ?? "-")
            .Add(ContentHash.OfAssembly(typeof(BackboneTeacher).Assembly))
            .Add(ContentHash.OfAssembly(typeof(SupervisedTrainer).Assembly));
        if (fit)
        {
            key.Add(ContentHash.OfSamples(data.Train)).Add(ContentHash.OfSamples(data.Validation))
                .Add(loaded.Config.Seed.ToString(CultureInfo.InvariantCulture));
        }
        string cacheKey = key.Build();
        if (cache.TryGet(cacheKey) is CacheEntry cached)
        {
            progress.Report($"{name}: reused from the cache");
            return cached.PathOf("teacher.onnx");
        }

        ModelProto model = Compose(loaded, backbonePath, preprocessPath, contract, path, data, normalization);
        string scratch = cache.CreateScratch();
        try
        {
            var metrics = new List<Metric>();
            if (fit)
            {
                string headless = Path.Combine(scratch, "backbone.onnx");
                OnnxModelFile.Write(model, headless);
                LabelledData train = Features(headless, data.Train, $"{name}: backbone features of the {data.Train.Count:N0} labelled rows", progress, cancellationToken, loaded, path);
                LabelledData validation = Features(headless, data.Validation, $"{name}: backbone features of the {data.Validation.Count:N0} validation rows", progress, cancellationToken, loaded, path);
                File.Delete(headless);
                int candidates = validation.Count > 0 ? LinearProbe.L2Strengths.Count : 1;
                progress.Report($"{name}: fitting a linear head on {train.SampleSize} features x {train.Count:N0} rows ({candidates} L2 strength(s) x {LinearProbe.Settings.Epochs} epochs, kept by validation loss)");
                var epochs = new SynchronousProgress<(double L2, EpochReport Epoch)>(p => progress.Report(
                    $"{name}: head L2 {p.L2:g} epoch {p.Epoch.Epoch}/{p.Epoch.Epochs} loss {p.Epoch.TrainLoss:0.0000} val acc {p.Epoch.ValidationAccuracy:0.0000} ETA {p.Epoch.Remaining:m\\:ss}"));
                ProbeFit probe = LinearProbe.Fit(train, validation, data.ClassCount, loaded.Config.Seed, epochs, cancellationToken);
                if (validation.Count > 0)
                {
                    progress.Report($"{name}: head L2 {probe.L2:g} kept (validation loss {probe.ValidationLoss:0.0000}, accuracy {probe.Summary.ValidationAccuracy:0.0000})");
                }
                GraphEdit.AppendLinearHead(model, probe.Weight, probe.Bias);
                TrainingSummary summary = probe.Summary;
                metrics.Add(new Metric("teacher.head_validation_accuracy", summary.ValidationAccuracy, "ratio"));
                metrics.Add(new Metric("teacher.head_l2", probe.L2, "coefficient"));
            }
            string onnx = Path.Combine(scratch, "teacher.onnx");
            OnnxModelFile.Write(model, onnx);
            return cache.Commit(cacheKey, scratch, [new Artifact(ArtifactKind.OnnxModel, onnx)], metrics, null).PathOf("teacher.onnx");
        }
        catch (TrainingDivergedException ex)
        {
            cache.Discard(scratch);
            throw new CompressionException(ErrorCodes.TrainingDiverged, $"{name}: the linear head: {ex.Message}", loaded.Locations.LocateValue($"{path}.head"));
        }
        catch
        {
            cache.Discard(scratch);
            throw;
        }
    }

    /// <summary>Preprocessing, input adaptation and backbone as one graph; bad input at the field to blame.</summary>
    private static ModelProto Compose(
        LoadedConfig loaded, string backbonePath, string? preprocessPath, InputContract? contract, string path, DataSplits data, InputNormalization normalization)
    {
        ModelProto model = Read(loaded, backbonePath, $"{path}.onnx");
        if (preprocessPath is not null)
        {
            try
            {
                model = GraphEdit.Chain(Read(loaded, preprocessPath, $"{path}.preprocess"), model);
            }
            catch (ArgumentException ex)
            {
                throw new CompressionException(ErrorCodes.TeacherInvalid, $"'{path}.preprocess': {ex.Message}", loaded.Locations.LocateValue($"{path}.preprocess"));
            }
        }
        if (contract is not null)
        {
            try
            {
                InputAdapter.Prepend(model, data.Train.SampleShape, normalization, contract);
            }
            catch (ArgumentException ex)
            {
                throw new CompressionException(ErrorCodes.ShapeMismatch, $"'{path}.input': {ex.Message}", loaded.Locations.Locate($"{path}.input"));
            }
        }
        return model;
    }

    private static ModelProto Read(LoadedConfig loaded, string file, string field)
    {
        try
        {
            return OnnxModelFile.Read(file);
        }
        catch (OnnxFormatException ex)
        {
            throw new CompressionException(ErrorCodes.TeacherInvalid, $"'{field}' is not a usable ONNX model: {ex.Message}", loaded.Locations.LocateValue(field));
        }
    }

    /// <summary>The backbone's output for every row, flattened per row, with the rows' labels; progress with an ETA.</summary>
    private static LabelledData Features(string onnxPath, LabelledData rows, string what, IProgress<string> progress, CancellationToken cancellationToken, LoadedConfig loaded, string path)
    {
        const int Batch = 32;
        try
        {
            using var session = new OnnxInferenceSession(onnxPath);
            var clock = Stopwatch.StartNew();
            var reported = TimeSpan.Zero;
            float[]? features = null;
            int width = 0;
            for (int start = 0; start < rows.Count; start += Batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = Math.Min(Batch, rows.Count - start);
                float[] batch = session.Run(rows.Rows(start, count), count);
                width = batch.Length / count;
                features ??= new float[(long)rows.Count * width];
                batch.CopyTo(features.AsSpan(start * width));
                if (clock.Elapsed - reported > TimeSpan.FromSeconds(10))
                {
                    reported = clock.Elapsed;
                    int done = start + count;
                    var eta = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / done * (rows.Count - done));
                    progress.Report(string.Create(CultureInfo.InvariantCulture, $"{what}: {done:N0}/{rows.Count:N0} ETA {eta:m\\:ss}"));
                }
            }
            if (features is not null && !features.All(float.IsFinite))
            {
                throw new CompressionException(ErrorCodes.NonFiniteOutputs, $"{what}: the backbone gives NaN or infinite features", loaded.Locations.LocateValue($"{path}.onnx"));
            }
            return new LabelledData(features ?? [], [width], rows.Labels);
        }
        catch (OnnxFormatException ex)
        {
            throw new CompressionException(ErrorCodes.TeacherInvalid, $"the teacher built from '{path}.onnx' cannot run: {ex.Message}", loaded.Locations.LocateValue($"{path}.onnx"));
        }
    }

    private static string Describe(InputContract contract) => string.Create(CultureInfo.InvariantCulture,
        $"{contract.Layout};{string.Join(',', contract.SampleShape)};{contract.Scale:R};{string.Join(',', contract.Mean.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))};{string.Join(',', contract.Std.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}");

    private static string Describe(InputNormalization normalization) => string.Create(CultureInfo.InvariantCulture,
        $"{normalization.Kind};{normalization.Scale:R};{ContentHash.OfText(string.Join(',', normalization.Mean.Select(v => v.ToString("R", CultureInfo.InvariantCulture))))};{ContentHash.OfText(string.Join(',', normalization.Std.Select(v => v.ToString("R", CultureInfo.InvariantCulture))))}");
}
