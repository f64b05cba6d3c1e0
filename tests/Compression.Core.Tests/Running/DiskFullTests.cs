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
}
