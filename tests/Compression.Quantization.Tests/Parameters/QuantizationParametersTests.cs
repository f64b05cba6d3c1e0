using Compression.Quantization.Parameters;

namespace Compression.Quantization.Tests.Parameters;

public class QuantizationParametersTests
{
    [Fact]
    public void Symmetric_int8_uses_the_larger_magnitude_and_zero_point_0()
    {
        var p = QuantizationParameters.SymmetricInt8(-2f, 1f);
        Assert.Equal(2f / 127f, p.Scale);
        Assert.Equal(0, p.ZeroPoint);
        Assert.Equal(127, p.Quantize(2f));
        Assert.Equal(-127, p.Quantize(-2f));
        Assert.Equal(-127, p.Quantize(-50f));
        Assert.InRange(Math.Abs(p.Dequantize(p.Quantize(0.3f)) - 0.3f), 0f, p.Scale / 2);
    }

    [Fact]
    public void Asymmetric_uint8_maps_zero_to_an_exact_code()
    {
        var p = QuantizationParameters.AsymmetricUInt8(-1f, 3f);
        Assert.Equal(4f / 255f, p.Scale);
        Assert.Equal(64, p.ZeroPoint);
        Assert.Equal(0f, p.Dequantize(p.Quantize(0f)));
        Assert.Equal(0, p.Quantize(-1f));
        Assert.Equal(255, p.Quantize(3f));

        var positive = QuantizationParameters.AsymmetricUInt8(2f, 5f);
        Assert.Equal((5f / 255f, 0), (positive.Scale, positive.ZeroPoint));
    }

    [Fact]
    public void Per_channel_scales_follow_each_channels_own_magnitude()
    {
        var parameters = PerChannel.SymmetricInt8([1f, -2f, 0.5f, 0.25f], channels: 2);
        Assert.Equal([2f / 127f, 0.5f / 127f], parameters.Select(p => p.Scale));
        Assert.Equal(127, parameters[1].Quantize(0.5f));
        Assert.Throws<ArgumentException>(() => PerChannel.SymmetricInt8([1f, 2f, 3f], channels: 2));
    }
}
