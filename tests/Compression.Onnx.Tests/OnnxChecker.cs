using System.Diagnostics;

namespace Compression.Onnx.Tests;

/// <summary>
/// The ONNX project's own checker (Debian's python3-onnx) as an independent judge of files we write:
/// <c>onnx.checker.check_model(onnx.load(path), full_check=True)</c>, which includes strict shape
/// inference. Runs /usr/bin/python3 explicitly: a python3 earlier on PATH (pyenv) may lack onnx.
/// Other test projects link this file (Compile Include ... Link) rather than copy it.
/// </summary>
public static class OnnxChecker
{
    public const string Python = "/usr/bin/python3";

    private const string Script =
        "import sys, onnx\n" +
        "onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)\n";

    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(1);

    /// <summary>Fails the test, with the checker's message, unless the checker accepts the model.</summary>
    public static void AssertValid(string modelPath)
    {
        (bool valid, string message) = Check(modelPath);
        Assert.True(valid, $"onnx.checker rejected {modelPath}:\n{message}");
    }

    /// <summary>Runs the checker; returns whether it accepted the model and what it printed.</summary>
    public static (bool Valid, string Message) Check(string modelPath)
    {
        Assert.True(File.Exists(Python), $"{Python} not found: apt-get install python3-onnx");
        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Script);
        info.ArgumentList.Add(modelPath);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Python}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(s_timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"onnx.checker did not finish within {s_timeout.TotalSeconds} s on {modelPath}");
        }
        string output = (stdout.Result + stderr.Result).Trim();
        Assert.False(output.Contains("No module named 'onnx'", StringComparison.Ordinal),
            $"{Python} has no onnx module: apt-get install python3-onnx\n{output}");
        return (process.ExitCode == 0, output);
    }
}
