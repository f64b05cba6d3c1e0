using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Running;
using Compression.Core.Teacher;
using Compression.Onnx;
using Compression.Onnx.Proto;

namespace Compression.Core.Tests.Teacher;

/// <summary>Issue 12: a teacher too large for memory is refused from the config and the file alone, before anything is allocated.</summary>
public class TeacherPreflightMemoryTests
{
    private static readonly MemoryBudget s_hundredMegabytes = MemoryBudget.For(100);

    /// <summary>A model of a few hundred bytes whose one initializer declares [100000, 100000] floats (40 GB), kept as external data.</summary>
    private static string TeacherDeclaringFortyGigabytes(TempFolder folder)
    {
        var builder = new OnnxGraphBuilder("declares-huge");
        builder.AddInput("input", [null, 100_000]);
        string w = builder.AddInitializer("w", [1, 1], [1f]);
        builder.AddNode("Gemm", ["input", w], ["logits"]).Int("transB", 1);
        builder.AddOutput("logits", [null, 100_000]);
        ModelProto model = builder.Build("tests");
        TensorProto tensor = model.Graph.Initializer.Single();
        tensor.FloatData.Clear();
        tensor.Dims.Clear();
        tensor.Dims.AddRange([100_000L, 100_000L]);
        tensor.DataLocation = TensorProto.Types.DataLocation.External;
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        string path = Path.Combine(folder.Path, "teacher.onnx");
        OnnxModelFile.Write(model, path);
        return path;
    }

    [Fact]
    public void An_onnx_teacher_declaring_more_than_the_limit_is_refused_with_CMP1011_at_its_path_without_loading_it()
    {
        using var folder = new TempFolder();
        TeacherDeclaringFortyGigabytes(folder);
        LoadedConfig loaded = ConfigLoader.Load(folder.Write("compression.json", """
            {
              "teacher": { "onnx": "teacher.onnx" }
            }
            """));
        long before = GC.GetAllocatedBytesForCurrentThread();

        List<Finding> findings = TeacherPreflight.Check(loaded, s_hundredMegabytes);

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Finding finding = Assert.Single(findings);
        Assert.Equal(ErrorCodes.ModelTooLargeForMemory, finding.Code);
        Assert.Equal((2, 24), (finding.Location!.Line, finding.Location.Column));
        Assert.Equal("teacher teacher.onnx needs at least 37.3 GiB for its weights, above the limit of 100.0 MiB (maxModelMemoryMb 100)", finding.Message);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Each_spec_of_a_teachers_list_is_checked_and_the_refusal_names_its_widest_layer()
    {
        using var folder = new TempFolder();
        LoadedConfig loaded = ConfigLoader.Load(folder.Write("compression.json", """
            {
              "teachers": [
                { "model": { "input": [4], "layers": [ { "type": "linear", "out": 3 } ] } },
                { "model": { "input": [784], "layers": [
                  { "type": "linear", "out": 2000000000 }, { "type": "relu" }, { "type": "linear", "out": 10 } ] } }
              ]
            }
            """));
        long before = GC.GetAllocatedBytesForCurrentThread();

        List<Finding> findings = TeacherPreflight.Check(loaded, s_hundredMegabytes);

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Finding finding = Assert.Single(findings);
        Assert.Equal(ErrorCodes.ModelTooLargeForMemory, finding.Code);
        Assert.Equal((5, 7), (finding.Location!.Line, finding.Location.Column));
        // Layer 0: (784 x 2e9 + 2e9) parameters x 4 copies x 4 bytes = 25.1 TB, plus 2e9 outputs x 64 x 2 x 4 bytes = 1.0 TB;
        // the relu's outputs another 1.0 TB and the last layer's 2e10 parameters 0.3 TB: 27.5 TB in all.
        Assert.Equal("'teachers[1].model': training this model at batch 64 needs about 27.5 TB, above the limit of 100.0 MiB (maxModelMemoryMb 100); "
            + "the largest part is teachers[1].model.layers[0] (linear, 2,000,000,000 outputs: 26.1 TB)", finding.Message);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
    }
}
