using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Running;
using Compression.Core.Teacher;

namespace Compression.Core.Tests.Teacher;

public sealed class TeacherPreflightTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Dev_zero_as_the_teacher_is_CMP2005_at_its_value_without_reading_it()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // Linux devices; the product runs on Linux x64.
        }
        LoadedConfig loaded = Config("/dev/zero");
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<CompressionException>(() => TeacherPreflight.CheckEntry(loaded, loaded.Config.Teacher!, "teacher", new MemoryBudget(1L << 30, "test")));

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Finding finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.DataNotRegularFile, finding.Code);
        Assert.Equal("'teacher.onnx': /dev/zero is a character device: expected a regular ONNX model file (a folder, device, pipe or socket is never read)", finding.Message);
        Assert.Equal((2, 24), (finding.Location!.Line, finding.Location.Column));
        Assert.True(allocated < 16L << 20, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void A_folder_as_the_teacher_is_CMP2005_not_model_not_found()
    {
        Directory.CreateDirectory(Path.Combine(_folder.Path, "teacher.onnx"));
        LoadedConfig loaded = Config("teacher.onnx");

        var error = Assert.Throws<CompressionException>(() => TeacherPreflight.CheckEntry(loaded, loaded.Config.Teacher!, "teacher", new MemoryBudget(1L << 30, "test")));

        Finding finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.DataNotRegularFile, finding.Code);
        Assert.StartsWith($"'teacher.onnx': {Path.Combine(_folder.Path, "teacher.onnx")} is a folder: expected a regular ONNX model file", finding.Message);
    }

    /// <summary>A config whose teacher's <c>onnx</c> value is on line 2.</summary>
    private LoadedConfig Config(string onnx) => ConfigLoader.Load(_folder.Write("compression.json", $$"""
        {
          "teacher": { "onnx": "{{onnx}}" }
        }
        """));
}
