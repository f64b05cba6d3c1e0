using System.Diagnostics;

namespace Compression.Onnx.Tests;

/// <summary>
/// The ONNX project's own checker (Debian's python3-onnx), run as an independent judge of files we
/// write: <c>onnx.checker.check_model(model, full_check=True)</c>, which includes shape inference.
/// Uses /usr/bin/python3 explicitly: a python3 earlier on PATH may lack the onnx module.
/// </summary>
public static class OnnxChecker
{
    public static void AssertValid(string modelPath)
    {
        const string Python = "/usr/bin/python3";
        Assert.True(File.Exists(Python), "python3 not found at /usr/bin/python3: apt-get install python3-onnx");
        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)");
        info.ArgumentList.Add(modelPath);
        using var process = Process.Start(info)!;
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"onnx.checker rejected {modelPath} (apt-get install python3-onnx if the module is missing):\n{stderr}");
    }
}
