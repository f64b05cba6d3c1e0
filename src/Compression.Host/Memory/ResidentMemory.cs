using System.Diagnostics;

namespace Compression.Host.Memory;

// A deliberate copy of src/Compression.Runner/ResidentMemory.cs: the runner's carried sources compile alone against ONNX Runtime, so they cannot share this one.
/// <summary>
/// This process's resident memory. On Linux it reads /proc/self/status and can reset the peak
/// (writing 5 to /proc/self/clear_refs resets VmHWM, Linux 4.0+), so a peak measured afterwards
/// belongs to what ran since, not to start-up. Elsewhere the peak is the process's lifetime peak.
/// </summary>
internal static class ResidentMemory
{
    private const string Status = "/proc/self/status";

    public static long CurrentBytes() => Read("VmRSS:") ?? Process.GetCurrentProcess().WorkingSet64;

    public static long PeakBytes()
    {
        using var process = Process.GetCurrentProcess();
        return Read("VmHWM:") ?? process.PeakWorkingSet64;
    }

    /// <summary>Resets the peak to the current value where the OS allows it; returns whether it did.</summary>
    public static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DirectoryNotFoundException or PlatformNotSupportedException)
        {
            return false;
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
                // "VmHWM:	   12345 kB"
                string[] parts = line[field.Length..].Split(' ', '\t').Where(p => p.Length > 0).ToArray();
                return long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }
        return null;
    }
}
