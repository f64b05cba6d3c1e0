using System.Diagnostics;
using Compression.Onnx.Tests;

namespace Compression.Models.Tests.Import;

/// <summary>
/// <see cref="OnnxChecker"/>'s judgement (onnx.checker.check_model, full_check) on many files in one
/// Python process, so checking a hundred small exports costs one interpreter start.
/// </summary>
internal static class OnnxBatchChecker
{
    private const string Script =
        "import sys, onnx\n" +
        "bad = []\n" +
        "for path in sys.argv[1:]:\n" +
        "    try:\n" +
        "        onnx.checker.check_model(onnx.load(path), full_check=True)\n" +
        "    except Exception as e:\n" +
        "        bad.append(path + ': ' + str(e))\n" +
        "print('\\n'.join(bad) if bad else 'checked %d files' % (len(sys.argv) - 1))\n" +
        "sys.exit(1 if bad else 0)\n";

    public static (bool Valid, string Message) Check(IEnumerable<string> paths)
    {
        Assert.True(File.Exists(OnnxChecker.Python), $"{OnnxChecker.Python} not found: apt-get install python3-onnx");
        var info = new ProcessStartInfo(OnnxChecker.Python) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Script);
        foreach (string path in paths)
        {
            info.ArgumentList.Add(path);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {OnnxChecker.Python}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("onnx.checker did not finish within 2 minutes");
        }
        string text = (stdout.Result + stderr.Result).Trim();
        Assert.False(text.Contains("No module named 'onnx'", StringComparison.Ordinal), $"{OnnxChecker.Python} has no onnx module: apt-get install python3-onnx\n{text}");
        return (process.ExitCode == 0, text);
    }
}
