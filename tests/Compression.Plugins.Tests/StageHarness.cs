using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Data;
using Compression.Abstractions.Stages;
using Compression.Models;
using Compression.Models.Evaluation;
using Compression.Models.Export;
using Compression.Models.Spec;
using Compression.Models.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Compression.Plugins.Tests;

/// <summary>A small synthetic task, a teacher trained on it, and a StageContext around them.</summary>
public sealed class StageHarness : IDisposable
{
    /// <param name="noise">Width of the uniform noise on each feature; 1.5 keeps the classes apart, 8 makes them overlap heavily.</param>
    public StageHarness(double noise = 1.5)
    {
        Folder = Path.Combine(Path.GetTempPath(), "compression-plugin-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Data = new DataSplits(Blobs(400, 1, noise), Blobs(200, 2, noise), Blobs(400, 3, noise), 3, "synthetic");
        var spec = Spec(TeacherSpec);
        using var teacher = ModelFactory.Create(spec, 1);
        SupervisedTrainer.Train(teacher, Data.Train, Data.Validation, new TrainingOptions { Epochs = 3, LearningRate = 0.01 }, Losses.CrossEntropy, null, CancellationToken.None);
        string teacherPath = Path.Combine(Folder, "teacher.onnx");
        OnnxExporter.Export(teacher, teacherPath);
        Teacher = new FixedTeacher(teacherPath, Data, teacher.ParameterCount);
    }

    /// <summary>Parses a model spec written inline in a test.</summary>
    public static ModelSpec Spec(string json) => ModelSpec.Parse(System.Text.Json.JsonDocument.Parse(json).RootElement, "spec");

    public const string TeacherSpec = """{"input":[6],"layers":[{"type":"linear","out":32},{"type":"relu"},{"type":"linear","out":3}]}""";

    public const string StudentSpec = """{"input":[6],"layers":[{"type":"linear","out":4},{"type":"relu"},{"type":"linear","out":3}]}""";

    public string Folder { get; }

    public DataSplits Data { get; }

    public FixedTeacher Teacher { get; }

    public List<StageProgress> Progress { get; } = [];

    /// <summary>The task contexts are made for (StageContext.Task).</summary>
    public string TaskName { get; set; } = "classification";

    public StageContext Context(IServiceProvider services, params Artifact[] inputs) => Context(Data, services, inputs);

    /// <summary>A context over other data (e.g. the same rows reshaped as images).</summary>
    public StageContext Context(DataSplits data, IServiceProvider services, params Artifact[] inputs)
    {
        string output = Path.Combine(Folder, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(output);
        return new StageContext
        {
            StageId = "test",
            OutputDirectory = output,
            ConfigDirectory = Folder,
            Inputs = inputs.ToDictionary(a => a.Kind),
            Data = data,
            Teacher = Teacher,
            Seed = 11,
            Task = TaskName,
            Progress = new Recorder(Progress),
            Logger = NullLogger.Instance,
            Services = services,
        };
    }

    public static IServiceProvider Services(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        configure(services);
        return services.BuildServiceProvider();
    }

    /// <summary>Three Gaussian blobs in 6-D.</summary>
    public static LabelledData Blobs(int count, int seed, double noise = 1.5)
    {
        var random = new Random(seed);
        var features = new float[count * 6];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % 3;
            for (int f = 0; f < 6; f++)
            {
                features[(i * 6) + f] = (float)((f % 3 == labels[i] ? 1.2 : -0.4) + ((random.NextDouble() - 0.5) * noise));
            }
        }
        return new LabelledData(features, [6], labels);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A teacher ONNX file whose logits are computed through ONNX Runtime on every call (no cache).</summary>
    public sealed class FixedTeacher(string path, DataSplits data, long parameters, string name = "teacher") : ITeacher
    {
        public string Name => name;

        public string OnnxPath => path;

        public string ContentHash => path;

        public long ParameterCount => parameters;

        public Task<float[]> GetLogitsAsync(DataSplit split, CancellationToken cancellationToken) =>
            Task.FromResult(ClassifierEvaluator.Logits(path, data.Of(split), data.ClassCount, cancellationToken));

        public ITeacherSession OpenSession() => new OnnxTeacherSession(path, data.ClassCount);

        public ITeacherSession OpenSession(IReadOnlyList<string> features) => new OnnxTeacherSession(path, data.ClassCount, features);

        public IReadOnlyList<int> FeatureShape(string name) => TeacherFeatures.Shape(path, name, data.ClassCount);

        public Task<float[]> GetFeaturesAsync(DataSplit split, string name, CancellationToken cancellationToken) =>
            Task.FromResult(TeacherFeatures.Compute(path, name, data.Of(split), data.ClassCount, cancellationToken));
    }

    private sealed class Recorder(List<StageProgress> list) : IProgress<StageProgress>
    {
        public void Report(StageProgress value) => list.Add(value);
    }
}
