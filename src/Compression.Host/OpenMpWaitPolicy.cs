using System.Runtime.InteropServices;

namespace Compression.Host;

/// <summary>
/// Makes libtorch's OpenMP threads (libgomp) sleep at a barrier instead of spinning, unless the user
/// chose a policy. libgomp reads <c>OMP_WAIT_POLICY</c> once, when libtorch is loaded, from the C
/// environment, which <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not write on
/// Unix: hence setenv, before anything touches TorchSharp. Spinning threads on a machine shared with
/// other jobs burn the time slices the thread they wait for needs (measured in bench/threads.sh).
/// </summary>
internal static class OpenMpWaitPolicy
{
    private const string Variable = "OMP_WAIT_POLICY";

    public static void PreferPassive()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not null || !(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()))
        {
            return;
        }
        _ = SetEnv(Variable, "PASSIVE", overwrite: 0);
        Environment.SetEnvironmentVariable(Variable, "PASSIVE"); // and for child processes
    }

    // DllImport rather than LibraryImport: the generated marshaller would need unsafe code for two strings.
    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetEnv(string name, string value, int overwrite);
}
