using Compression.Core.Diagnostics;
using Compression.Core.Running;

namespace Compression.Core.Tests.Running;

public class CopyTargetTests
{
    [Fact]
    public void A_folder_is_refused_before_the_run_and_the_message_says_what_to_give()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<CompressionException>(() => CopyTarget.Check(folder.Path));

        Finding finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.CopyTargetUnusable, finding.Code);
        Assert.Contains($"--copy-model-to {folder.Path} cannot be written: it is a folder; give the file to write, e.g. {Path.Combine(folder.Path, "model.onnx")}", finding.Message);
    }

    [Fact]
    public void A_path_below_a_regular_file_is_refused_naming_that_file()
    {
        using var folder = new TempFolder();
        string file = folder.Write("a-file", "");

        var error = Assert.Throws<CompressionException>(() => CopyTarget.Check(Path.Combine(file, "sub", "model.onnx")));

        Assert.Contains($"{file} is a file, so nothing can be created below it", Assert.Single(error.Findings).Message);
    }

    [Fact]
    public void A_new_file_in_an_existing_or_new_folder_is_fine()
    {
        using var folder = new TempFolder();
        Assert.Equal(Path.Combine(folder.Path, "model.onnx"), CopyTarget.Check(Path.Combine(folder.Path, "model.onnx")));
        Assert.Equal(Path.Combine(folder.Path, "new", "model.onnx"), CopyTarget.Check(Path.Combine(folder.Path, "new", "model.onnx")));
        Assert.Equal(folder.Write("old.onnx", "x"), CopyTarget.Check(Path.Combine(folder.Path, "old.onnx")));
    }
}
