using System.Runtime.InteropServices;

namespace Compression.Host;

/// <summary>
/// Defaults for variables native libraries read from the C environment when they load (libgomp's
/// OMP_WAIT_POLICY). <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// does not write that environment on Unix: hence setenv, before anything touches TorchSharp.
/// </summary>
internal static class NativeEnvironment
{
    /// <summary>Sets <paramref name="name"/> for this process's native code and its child processes, unless the user set it.</summary>
    public static void SetDefault(string name, string value)
    {
        if (Environment.GetEnvironmentVariable(name) is not null || !(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()))
        {
            return;
        }
        _ = SetEnv(name, value, overwrite: 0);
        Environment.SetEnvironmentVariable(name, value); // and for child processes
    }

    // DllImport rather than LibraryImport: the generated marshaller would need unsafe code for two strings.
    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetEnv(string name, string value, int overwrite);
}
