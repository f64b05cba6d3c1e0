using Compression.Quantization.Parameters;

namespace Compression.Quantization.Tests.Parameters;

public class QuantizedWeightTests
{
    [Fact]
    public void Per_channel_scales_follow_each_rows_largest_magnitude()
    {
        float[] weights = [0.5f, -1.0f, 0.25f, 2.0f, 1.0f, -0.5f];

        QuantizedWeight quantized = QuantizedWeight.ChannelsFirst(weights, channels: 2, perChannel: true);

        Assert.Equal([1f / 127, 2f / 127], quantized.Scales);
        Assert.Equal(new sbyte[] { 64, -127, 32, 127, 64, -32 }, quantized.Values);
    }

    [Fact]
    public void Per_tensor_uses_the_largest_magnitude_for_every_channel()
    {
        QuantizedWeight quantized = QuantizedWeight.ChannelsFirst([0.5f, -1.0f, 0.25f, 2.0f, 1.0f, -0.5f], channels: 2, perChannel: false);

        Assert.Equal([2f / 127, 2f / 127], quantized.Scales);
        Assert.Equal(new sbyte[] { 32, -64, 16, 127, 64, -32 }, quantized.Values);
    }

    [Fact]
    public void Channels_last_quantizes_columns_and_keeps_the_layout()
    {
        // [rows 2, columns 3]; column c is (weights[c], weights[3 + c]).
        float[] weights = [1f, 0.5f, -4f, -2f, 0.25f, 2f];

        QuantizedWeight quantized = QuantizedWeight.ChannelsLast(weights, rows: 2, columns: 3, perChannel: true);

        Assert.Equal([2f / 127, 0.5f / 127, 4f / 127], quantized.Scales);
        Assert.Equal(new sbyte[] { 64, 127, -127, -127, 64, 64 }, quantized.Values);
    }
}
