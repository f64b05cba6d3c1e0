using Compression.Core.Running;

namespace Compression.Core.Tests.Running;

public class DiskFullTests
{
    [Fact]
    public void No_space_left_on_device_is_recognised_also_when_wrapped()
    {
        var noSpace = new IOException("No space left on device", 28);

        Assert.True(DiskFull.Is(noSpace));
        Assert.True(DiskFull.Is(new InvalidOperationException("saving failed", noSpace)));
        Assert.False(DiskFull.Is(new IOException("Permission denied", 13)));
        Assert.False(DiskFull.Is(null));
    }

    /// <summary>Linux's /dev/full fails every write with ENOSPC: the real error, not a constructed one.</summary>
    [Fact]
    public void A_real_no_space_error_from_dev_full_is_recognised()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var error = Assert.ThrowsAny<IOException>(() =>
        {
            using var stream = new FileStream("/dev/full", FileMode.Open, FileAccess.Write);
            stream.Write(new byte[4096]);
            stream.Flush();
        });

        Assert.True(DiskFull.Is(error), $"{error.GetType().Name} HResult {error.HResult}: {error.Message}");
    }
}
