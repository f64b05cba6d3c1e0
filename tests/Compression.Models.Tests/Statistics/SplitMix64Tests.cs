using Compression.Models.Statistics;

namespace Compression.Models.Tests.Statistics;

public class SplitMix64Tests
{
    [Fact]
    public void Seed_zero_gives_the_reference_sequence()
    {
        // First outputs of Vigna's reference splitmix64.c with x = 0.
        var rng = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, rng.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, rng.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, rng.NextUInt64());
    }
}
