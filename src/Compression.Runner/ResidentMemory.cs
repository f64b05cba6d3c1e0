using System.Diagnostics;
using System.Globalization;

namespace Compression.Runner;

// A deliberate copy of src/Compression.Host/Memory/ResidentMemory.cs: the runner's carried sources compile alone against ONNX Runtime, so they cannot share the host's.
/// <summary>
/// This process's resident memory from /proc/self/status; writing 5 to /proc/self/clear_refs resets
/// the peak (VmHWM, Linux 4.0+) so a peak read later belongs to what ran since.
/// </summary>
internal static class ResidentMemory
{
    private const string Status = "/proc/self/status";

    public static long CurrentBytes() => Read("VmRSS:") ?? Environment.WorkingSet;

    public static long PeakBytes()
    {
        using var process = Process.GetCurrentProcess();
        return Read("VmHWM:") ?? process.PeakWorkingSet64;
    }

    public static void TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            // The peak then includes start-up; the figure is an upper bound.
        }
    }

    private static long? Read(string field)
    {
        if (!File.Exists(Status))
        {
            return null;
        }
        foreach (string line in File.ReadLines(Status))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                string[] parts = line[field.Length..].Split(' ', '\t').Where(p => p.Length > 0).ToArray();
                return long.Parse(parts[0], CultureInfo.InvariantCulture) * 1024;
            }
        }
        return null;
    }
}
