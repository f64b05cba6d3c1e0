using Compression.Models.Import;
using Compression.Models.Import.Ops;
using Compression.Onnx;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Compression.Models.Tests.Import;

/// <summary>
/// Every supported op against the ONNX project's own backend node tests (Debian's libonnx-testdata):
/// imported, run on the test's inputs and compared with its expected outputs; then exported and run
/// in ONNX Runtime, compared again. Tolerance: max |difference| divided by max(1, max |expected|)
/// at most 1e-4 (<see cref="TensorValues.ScaledDifference"/>).
/// </summary>
public class BackendNodeTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string> Folders => [.. BackendFolders.All];

    [Theory]
    [MemberData(nameof(Folders))]
    public void Backend_node_test_gives_its_expected_outputs_imported_and_after_export_in_ONNX_Runtime(string folder)
    {
        BackendTestCase test = BackendTestCase.Open(folder);
        using OnnxGraphModule module = OnnxGraphModule.Load(test.ModelPath);
        module.eval();
        Dictionary<string, Tensor> inputs = test.Inputs(module);
        Dictionary<string, TensorValues> expected = test.ExpectedOutputs(module);

        double moduleDifference = 0;
        using (no_grad())
        {
            IReadOnlyDictionary<string, Tensor> actual = module.Forward(inputs);
            foreach ((string name, TensorValues values) in expected)
            {
                moduleDifference = Math.Max(moduleDifference, values.ScaledDifference(TensorValues.Of(actual[name]), $"{folder}: module output '{name}'"));
            }
        }

        string exported = Path.Combine(Path.GetTempPath(), $"import-{folder}-{Guid.NewGuid():N}.onnx");
        double runtimeDifference = 0;
        try
        {
            OnnxGraphExporter.Export(module, exported);
            Dictionary<string, TensorValues> runtime = RuntimeRunner.Run(exported, inputs);
            foreach ((string name, TensorValues values) in expected)
            {
                runtimeDifference = Math.Max(runtimeDifference, values.ScaledDifference(runtime[name], $"{folder}: exported file in ONNX Runtime, output '{name}'"));
            }
        }
        finally
        {
            File.Delete(exported);
        }
        output.WriteLine($"{folder}: module {moduleDifference:G3}, exported in ONNX Runtime {runtimeDifference:G3}");
        Assert.True(moduleDifference <= Tolerance, $"{folder}: imported module differs from the expected outputs by {moduleDifference:G3} (scaled), over {Tolerance}");
        Assert.True(runtimeDifference <= Tolerance, $"{folder}: exported file in ONNX Runtime differs from the expected outputs by {runtimeDifference:G3} (scaled), over {Tolerance}");
    }

    [Fact]
    public void The_chosen_backend_tests_cover_every_supported_op_but_Gelu()
    {
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (string folder in BackendFolders.All)
        {
            covered.UnionWith(OnnxModelFile.Read(BackendTestCase.Open(folder).ModelPath).Graph.Node.Select(n => n.OpType));
        }
        // Gelu is opset 20, newer than libonnx-testdata 1.12: GeluTests checks it against ONNX Runtime.
        string[] missing = [.. OnnxOperators.OpTypes.Where(op => op != "Gelu" && !covered.Contains(op))];
        Assert.True(missing.Length == 0, $"no backend test runs {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_exported_backend_model_passes_the_ONNX_checker()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"import-check-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            foreach (string name in BackendFolders.All)
            {
                using OnnxGraphModule module = OnnxGraphModule.Load(BackendTestCase.Open(name).ModelPath);
                OnnxGraphExporter.Export(module, Path.Combine(folder, $"{name}.onnx"));
            }
            (bool valid, string message) = OnnxBatchChecker.Check(Directory.GetFiles(folder, "*.onnx"));
            Assert.True(valid, message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
