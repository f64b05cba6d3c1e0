using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Running;
using Compression.Core.Teacher;

namespace Compression.Core.Tests.Teacher;

/// <summary>The fields that make a teacher from a backbone (<c>head</c>, <c>preprocess</c>, <c>input</c>) are checked before anything runs.</summary>
public sealed class TeacherBackboneFieldsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private Finding Problem(string teacherJson)
    {
        _folder.Write("backbone.onnx", "");
        LoadedConfig loaded = ConfigLoader.Load(_folder.Write("compression.json", $$"""
            {
              "teacher": {{teacherJson}}
            }
            """));
        return Assert.Single(Assert.Throws<CompressionException>(() =>
            TeacherPreflight.CheckEntry(loaded, loaded.Config.Teacher!, "teacher", new MemoryBudget(1L << 30, "test"))).Findings);
    }

    [Fact]
    public void An_unknown_head_is_refused_at_its_value()
    {
        Finding finding = Problem("""{ "onnx": "backbone.onnx", "head": "mlp" }""");
        Assert.Equal(ErrorCodes.InvalidValue, finding.Code);
        Assert.StartsWith("'teacher.head' must be \"fit\"", finding.Message);
        Assert.Equal(2, finding.Location!.Line);
    }

    [Fact]
    public void A_head_on_a_spec_teacher_is_refused()
    {
        Finding finding = Problem("""{ "model": { "input": [4], "layers": [{ "type": "linear", "out": 2 }] }, "head": "fit" }""");
        Assert.Equal("'teacher.head' applies to a teacher given as an ONNX file (\"onnx\"), not to a spec the pipeline trains", finding.Message);
    }

    [Fact]
    public void A_missing_preprocessing_graph_is_not_found_at_its_value()
    {
        Finding finding = Problem("""{ "onnx": "backbone.onnx", "preprocess": "prep.onnx" }""");
        Assert.Equal(ErrorCodes.DataNotFound, finding.Code);
        Assert.StartsWith("preprocessing graph not found:", finding.Message);
    }

    [Fact]
    public void A_bad_declared_input_is_reported_at_teacher_input()
    {
        Finding finding = Problem("""{ "onnx": "backbone.onnx", "head": "fit", "input": { "layout": "NCHW", "channels": 3 } }""");
        Assert.Equal(ErrorCodes.MissingField, finding.Code);
        Assert.Equal("'teacher.input.size' must be [height, width] in pixels, each at least 1", finding.Message);
    }
}
