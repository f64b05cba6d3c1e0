using System.Runtime.InteropServices;

namespace Compression.Host;

/// <summary>
/// Caps oneDNN (libtorch's CPU kernels for convolutions and batch norm) at AVX2 unless the user chose an
/// ISA: on an AMD EPYC with AVX-512 (2026-12-04), its AVX-512 kernels gave a NaN loss at the first training
/// step of a conv + batchnorm student at random, and DNNL_MAX_CPU_ISA=AVX2 made the same runs finite
/// (tests/Compression.EndToEnd.Tests/FeatureDistillationTests). oneDNN reads the variable from the C
/// environment when it first dispatches, which <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// does not write on Unix: hence setenv, before anything touches TorchSharp. Set DNNL_MAX_CPU_ISA yourself
/// (e.g. AVX512_CORE) to lift the cap.
/// </summary>
internal static class OneDnnIsaCap
{
    private const string Variable = "DNNL_MAX_CPU_ISA";

    public static void CapAtAvx2()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not null || !OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return;
        }
        _ = SetEnv(Variable, "AVX2", overwrite: 0);
        Environment.SetEnvironmentVariable(Variable, "AVX2"); // and for child processes
    }

    // DllImport rather than LibraryImport: the generated marshaller would need unsafe code for two strings.
    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetEnv(string name, string value, int overwrite);
}
