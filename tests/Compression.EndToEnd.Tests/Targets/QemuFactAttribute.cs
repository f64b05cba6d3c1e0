namespace Compression.EndToEnd.Tests.Targets;

/// <summary>
/// A test that runs the linux-arm64 runner under QEMU user-mode emulation: skipped, saying why, only
/// when qemu-aarch64-static or the arm64 C/C++ libraries are not installed (CI installs them: .ci/run).
/// </summary>
public sealed class QemuFactAttribute : FactAttribute
{
    public QemuFactAttribute()
    {
        if (!File.Exists("/usr/bin/qemu-aarch64-static") || !File.Exists("/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1"))
        {
            Skip = "QEMU user-mode emulation of arm64 is not installed: apt-get install -y qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross";
        }
    }
}
