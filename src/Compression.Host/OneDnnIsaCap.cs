using System.Runtime.InteropServices;

namespace Compression.Host;

/// <summary>
/// Caps oneDNN (libtorch's CPU kernels for convolutions and batch norm) at AVX2 unless the user chose an
/// ISA: on an AMD EPYC with AVX-512 (2026-12-04), its AVX-512 kernels gave a NaN loss at the first training
/// step of a conv + batchnorm student at random, and DNNL_MAX_CPU_ISA=AVX2 made the same runs finite
/// (tests/Compression.EndToEnd.Tests/FeatureDistillationTests). oneDNN reads the variable from the C
/// environment when it first dispatches (<see cref="NativeEnvironment"/>). Set DNNL_MAX_CPU_ISA yourself
/// (e.g. AVX512_CORE) to lift the cap.
/// </summary>
internal static class OneDnnIsaCap
{
    public static void CapAtAvx2()
    {
        if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64)
        {
            NativeEnvironment.SetDefault("DNNL_MAX_CPU_ISA", "AVX2");
        }
    }
}
