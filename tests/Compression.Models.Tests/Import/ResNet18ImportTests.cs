using Compression.Models.Import;
using Compression.Onnx;
using Compression.Onnx.Proto;
using Compression.Onnx.Tests;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Compression.Models.Tests.Import;

/// <summary>A real ImageNet network: ResNet-18 imported, run on one random image, exported, run again.</summary>
public class ResNet18ImportTests(ITestOutputHelper output)
{
    [Fact]
    public void Imported_ResNet18_gives_ONNX_Runtimes_outputs_and_its_export_does_too()
    {
        string source = ResNet18Model.Path;
        var random = new Random(18);
        float[] image = [.. Enumerable.Range(0, 3 * 224 * 224).Select(_ => (float)((random.NextDouble() * 4) - 2))];
        float[] expected;
        using (var session = new OnnxInferenceSession(source))
        {
            expected = session.Run(image, 1);
        }

        using OnnxGraphModule module = OnnxGraphModule.Load(source);
        module.eval();
        // 22 convolution kernels and 22 batch norms' scale and bias learn; the 44 running statistics do not.
        Assert.Equal(66, module.parameters().Count());
        Assert.Equal(44, module.buffers().Count());
        float[] actual = Run(module, image);
        double moduleDifference = MaxAbsDifference(expected, actual);

        string exported = Path.Combine(Path.GetTempPath(), $"resnet18-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxGraphExporter.Export(module, exported);
            float[] reloaded;
            using (var session = new OnnxInferenceSession(exported))
            {
                reloaded = session.Run(image, 1);
            }
            double exportDifference = MaxAbsDifference(actual, reloaded);
            double largest = expected.Max(Math.Abs);
            output.WriteLine($"ResNet-18, {expected.Length} outputs (largest |value| {largest:G4}): max |module - ONNX Runtime| = {moduleDifference:G3}; max |module - exported file in ONNX Runtime| = {exportDifference:G3}");
            Assert.True(moduleDifference / Math.Max(1, largest) <= 1e-4, $"imported module vs ONNX Runtime: max |difference| {moduleDifference:G3}");
            Assert.True(exportDifference / Math.Max(1, largest) <= 1e-4, $"exported file vs module: max |difference| {exportDifference:G3}");

            ModelProto written = OnnxModelFile.Read(exported);
            ModelProto original = OnnxModelFile.Read(source);
            Assert.Equal(original.IrVersion, written.IrVersion);
            Assert.Equal(original.OpsetImport, written.OpsetImport);
            // The CNTK file is IR 3, which wants initializers listed as graph inputs; it does not list
            // them, so onnx.checker rejects the source itself. The export keeps the graph as it was:
            // the checker must say exactly the same of it, and nothing more.
            (bool sourceValid, string sourceMessage) = OnnxChecker.Check(source);
            (bool exportValid, string exportMessage) = OnnxChecker.Check(exported);
            Assert.Equal(sourceValid, exportValid);
            Assert.Equal(LastLine(sourceMessage), LastLine(exportMessage));
        }
        finally
        {
            File.Delete(exported);
        }
    }

    private static float[] Run(OnnxGraphModule module, float[] image)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return module.forward(tensor(image, [1, 3, 224, 224])).data<float>().ToArray();
    }

    private static double MaxAbsDifference(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();
    }

    private static string LastLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
}
