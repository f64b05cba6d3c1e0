using System.Runtime.InteropServices;
using TorchSharp;

namespace Compression.Models.Training;

/// <summary>
/// Runs convolutions on libtorch's own CPU kernels (im2col + BLAS) rather than oneDNN's, unless the user
/// chose a oneDNN ISA (DNNL_MAX_CPU_ISA set). On the AMD EPYC (Zen 5, a VM) we build on, libtorch 2.10's
/// oneDNN 3.7.1 returned wrong input gradients from conv2d's backward pass whenever the output channels
/// are not a multiple of its vector block (8 with AVX2, 16 with AVX-512): wrong in every call, NaN at
/// random (it reads memory nobody wrote: NaN-filled freed memory raised the NaN rate), forward and weight
/// gradients right; DNNL_MAX_CPU_ISA=SSE41 (a GEMM path) and libtorch's own kernels were right
/// (OneDnnConvolutionsTests checks the gradients). Cost, measured by alternating steps in one process
/// (Fashion-MNIST teacher and a pruned 20/38-channel variant, batch 64, 3 rounds each): a training step
/// took 0.72-1.23x the time of oneDNN AVX2 and 0.62-0.84x that of oneDNN SSE4.1 (see docs/architecture.md).
/// TorchSharp has no torch.backends.mkldnn, so this calls the libtorch exports Python's flag uses.
/// </summary>
internal static class OneDnnConvolutions
{
    private static int _applied;

    /// <summary>Turns oneDNN convolutions off once per process (x64 Linux, unless DNNL_MAX_CPU_ISA is set). Loads libtorch.</summary>
    public static void DisableUnlessIsaChosen()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 1
            || !OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64
            || Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") is not null)
        {
            return;
        }
        _ = torch.get_num_threads(); // TorchSharp loads libtorch_cpu first, from where its package put it
        try
        {
            IntPtr context = GlobalContext();
            SetUserEnabledMkldnn(context, false);
            // Without oneDNN, libtorch tries NNPACK for some convolutions first; where NNPACK does not
            // support the CPU (this Zen 5 VM) every such call prints "Could not initialize NNPACK!" to
            // stderr, thousands of lines a run (a parent that does not drain stderr then blocks the
            // run). Off, those convolutions take the same im2col + BLAS path they fell back to anyway.
            SetUserEnabledNnpack(context, false);
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            // Another libtorch without these exports: train as libtorch decides rather than fail the
            // build (OneDnnConvolutionsTests fails on such a libtorch, so an upgrade shows it).
        }
    }

    /// <summary>Whether libtorch may use NNPACK for convolutions (what torch.backends.nnpack.enabled reads).</summary>
    public static bool NnpackEnabled
    {
        get
        {
            _ = torch.get_num_threads();
            return UserEnabledNnpack(GlobalContext());
        }
    }

    /// <summary>Whether libtorch may use oneDNN for convolutions (what torch.backends.mkldnn.enabled reads).</summary>
    public static bool Enabled
    {
        get
        {
            _ = torch.get_num_threads();
            return UserEnabledMkldnn(GlobalContext());
        }
    }

    // at::globalContext() and at::Context::setUserEnabledMkldnn(bool) / userEnabledMkldnn() const: C++
    // (Itanium ABI) functions whose `this` is the first argument; a unit test checks the switch takes.
    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.AssemblyDirectory | DllImportSearchPath.SafeDirectories)]
    private static extern IntPtr GlobalContext();

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.AssemblyDirectory | DllImportSearchPath.SafeDirectories)]
    private static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.AssemblyDirectory | DllImportSearchPath.SafeDirectories)]
    private static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("libtorch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.AssemblyDirectory | DllImportSearchPath.SafeDirectories)]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledNnpack(IntPtr context);

    [DllImport("libtorch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.AssemblyDirectory | DllImportSearchPath.SafeDirectories)]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledMkldnn(IntPtr context);
}
