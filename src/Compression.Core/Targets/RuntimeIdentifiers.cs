using System.Runtime.InteropServices;

namespace Compression.Core.Targets;

/// <summary>The runtime identifiers the runner is published for, and how a device's `uname -m` maps to them.</summary>
public static class RuntimeIdentifiers
{
    public const string LinuxX64 = "linux-x64";
    public const string LinuxArm64 = "linux-arm64";

    public static IReadOnlyList<string> Supported { get; } = [LinuxX64, LinuxArm64];

    /// <summary>This machine's identifier, or null where the runner is not published (not Linux, another CPU).</summary>
    public static string? Host => OperatingSystem.IsLinux()
        ? RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => LinuxX64,
            Architecture.Arm64 => LinuxArm64,
            _ => null,
        }
        : null;

    /// <summary>The identifier of a Linux machine by its `uname -m`, or null for an architecture the runner is not published for.</summary>
    public static string? FromUname(string machine) => machine.Trim() switch
    {
        "x86_64" or "amd64" => LinuxX64,
        "aarch64" or "arm64" or "armv8l" => LinuxArm64,
        _ => null,
    };

    /// <summary>QEMU's name for the CPU of an identifier (qemu-aarch64-static) and the Debian cross sysroot its dynamic loader is in.</summary>
    public static (string Qemu, string Sysroot) Emulation(string rid) => rid switch
    {
        LinuxArm64 => ("aarch64", "/usr/aarch64-linux-gnu"),
        LinuxX64 => ("x86_64", "/usr/x86_64-linux-gnu"),
        _ => throw new ArgumentOutOfRangeException(nameof(rid), rid, "not a supported runtime identifier"),
    };
}
