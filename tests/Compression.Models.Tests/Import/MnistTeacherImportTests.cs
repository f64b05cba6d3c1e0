using System.Text.Json;
using Compression.Models.Export;
using Compression.Models.Import;
using Compression.Models.Spec;
using Compression.Models.Training.Optimizers;
using Compression.Onnx;
using Compression.Onnx.Proto;
using Compression.Onnx.Tests;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Compression.Models.Tests.Import;

/// <summary>
/// The MNIST sample's teacher architecture, exported by our own exporter, imported back: it must give
/// ONNX Runtime's outputs, learn (gradients reach every parameter, the loss on a tiny batch falls),
/// and export what it learned.
/// </summary>
public class MnistTeacherImportTests(ITestOutputHelper output)
{
    private const int Batch = 16;
    private const int Steps = 20;

    [Fact]
    public void Imported_MNIST_teacher_matches_ONNX_Runtime_trains_and_exports_what_it_learned()
    {
        ModelSpec spec = SampleTeacher();
        string folder = Path.Combine(Path.GetTempPath(), $"import-mnist-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string source = Path.Combine(folder, "teacher.onnx");
            using (SequentialModel teacher = ModelFactory.Create(spec, seed: 11))
            {
                teacher.eval();
                OnnxExporter.Export(teacher, source);
            }
            using OnnxGraphModule module = OnnxGraphModule.Load(source);
            // Two convolutions and two Gemms, each with weight and bias.
            Assert.Equal(8, module.parameters().Count());

            var random = new Random(5);
            float[] input = [.. Enumerable.Range(0, Batch * 28 * 28).Select(_ => (float)random.NextDouble())];
            float[] before = RunOnnx(source, input);
            double importDifference = MaxAbsDifference(before, RunModule(module, input));

            manual_seed(5);
            Dictionary<string, float[]> initial = module.named_parameters().ToDictionary(p => p.name, p => Values(p.parameter));
            (float firstLoss, float lastLoss) = Train(module, input, Steps);
            string[] unchanged = [.. module.named_parameters().Where(p => Values(p.parameter).SequenceEqual(initial[p.name])).Select(p => p.name)];

            string tuned = Path.Combine(folder, "tuned.onnx");
            OnnxGraphExporter.Export(module, tuned);
            float[] moduleAfter = RunModule(module, input);
            float[] runtimeAfter = RunOnnx(tuned, input);
            double exportDifference = MaxAbsDifference(moduleAfter, runtimeAfter);
            double change = MaxAbsDifference(before, runtimeAfter);
            output.WriteLine($"MNIST teacher: |module - ORT| {importDifference:G3} imported, {exportDifference:G3} after training and export; loss {firstLoss:F4} -> {lastLoss:F4} in {Steps} steps; outputs moved by up to {change:G3}");

            Assert.True(importDifference <= 1e-4, $"imported module vs ONNX Runtime: max |difference| {importDifference:G3}");
            Assert.Empty(unchanged);
            Assert.True(lastLoss < firstLoss / 2, $"loss went from {firstLoss} to {lastLoss} on one batch of {Batch}");
            Assert.True(exportDifference <= 1e-4, $"exported file vs trained module: max |difference| {exportDifference:G3}");
            Assert.True(change > 1e-2, $"training did not change the exported file's outputs (max change {change:G3})");
            ModelProto written = OnnxModelFile.Read(tuned);
            Assert.Equal(OnnxModelFile.Read(source).OpsetImport, written.OpsetImport);
            OnnxChecker.AssertValid(tuned);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (float First, float Last) Train(OnnxGraphModule module, float[] input, int steps)
    {
        module.train();
        using Tensor x = tensor(input, [Batch, 1, 28, 28]);
        using Tensor labels = tensor(Enumerable.Range(0, Batch).Select(i => (long)(i % 10)).ToArray());
        // Our Adam: TorchSharp's frees its scalars in finalizers, mid-step under a collection (issue 12).
        using var optimizer = new AdamOptimizer(module.parameters(), learningRate: 1e-3, weightDecay: 0, decoupledWeightDecay: false);
        float first = 0, last = 0;
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.ZeroGrad();
            Tensor loss = nn.functional.cross_entropy(module.forward(x), labels);
            loss.backward();
            optimizer.Step();
            last = loss.item<float>();
            if (step == 0)
            {
                first = last;
            }
        }
        module.eval();
        return (first, last);
    }

    private static ModelSpec SampleTeacher()
    {
        string config = Path.Combine(RepoRoot(), "samples", "MnistClassifier", "compression.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(config));
        return ModelSpec.Parse(document.RootElement.GetProperty("teacher").GetProperty("model"), "teacher.model");
    }

    private static string RepoRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Compression.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No Compression.sln above {AppContext.BaseDirectory}.");
    }

    private static float[] RunOnnx(string path, float[] input)
    {
        using var session = new OnnxInferenceSession(path);
        return session.Run(input, Batch);
    }

    private static float[] RunModule(OnnxGraphModule module, float[] input)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return module.forward(tensor(input, [Batch, 1, 28, 28])).data<float>().ToArray();
    }

    private static float[] Values(Parameter parameter)
    {
        using Tensor copy = parameter.detach().contiguous();
        return copy.data<float>().ToArray();
    }

    private static double MaxAbsDifference(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();
    }
}
