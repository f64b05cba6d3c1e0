using Compression.Core.Teacher.Backbone;

namespace Compression.Core.Tests.Teacher.Backbone;

public class BilinearResizeTests
{
    [Fact]
    public void Upsampling_two_pixels_to_four_gives_pytorch_bilinear_values()
    {
        // torch.nn.functional.interpolate(torch.tensor([[[[0., 1.]]]]), size=(1, 4), mode="bilinear", align_corners=False)
        // gives [0, 0.25, 0.75, 1].
        float[] matrix = BilinearResize.Matrix(2, 4);
        float[] output = [.. Enumerable.Range(0, 4).Select(o => (matrix[o * 2] * 0f) + (matrix[(o * 2) + 1] * 1f))];
        Assert.Equal([0f, 0.25f, 0.75f, 1f], output);
    }

    [Theory]
    [InlineData(28, 224)]
    [InlineData(224, 28)]
    [InlineData(5, 5)]
    [InlineData(1, 7)]
    public void Every_output_pixel_is_a_weighted_mean_of_input_pixels(int input, int output)
    {
        float[] matrix = BilinearResize.Matrix(input, output);
        for (int o = 0; o < output; o++)
        {
            float[] row = matrix[(o * input)..((o + 1) * input)];
            Assert.Equal(1.0, row.Sum(), 5);
            Assert.All(row, w => Assert.InRange(w, 0f, 1f));
        }
        if (input == output)
        {
            Assert.Equal(Enumerable.Range(0, input * input).Select(i => i / input == i % input ? 1f : 0f), matrix);
        }
    }

    [Fact]
    public void Transpose_swaps_rows_and_columns()
    {
        Assert.Equal([1f, 4f, 2f, 5f, 3f, 6f], BilinearResize.Transpose([1, 2, 3, 4, 5, 6], 2, 3));
    }
}
