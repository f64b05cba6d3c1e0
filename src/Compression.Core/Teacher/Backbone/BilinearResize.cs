namespace Compression.Core.Teacher.Backbone;

/// <summary>
/// Bilinear resizing as two matrix products, <c>R_h · X · R_w^T</c>, which any ONNX opset expresses
/// with MatMul (Resize and Upsample changed meaning across opsets; a pretrained backbone may be opset 8).
/// The weights are PyTorch's <c>interpolate(mode="bilinear", align_corners=False)</c> without antialiasing
/// (torchvision's Resize with antialias=False): half-pixel centres, edges clamped.
/// </summary>
internal static class BilinearResize
{
    /// <summary>The [output, input] interpolation matrix of one axis.</summary>
    public static float[] Matrix(int input, int output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(input, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(output, 1);
        var matrix = new float[output * input];
        double ratio = (double)input / output;
        for (int o = 0; o < output; o++)
        {
            double source = Math.Max(((o + 0.5) * ratio) - 0.5, 0);
            int low = Math.Min((int)Math.Floor(source), input - 1);
            int high = Math.Min(low + 1, input - 1);
            double upper = source - low;
            matrix[(o * input) + low] += (float)(1 - upper);
            matrix[(o * input) + high] += (float)upper;
        }
        return matrix;
    }

    /// <summary>The transpose of a row-major [rows, columns] matrix.</summary>
    public static float[] Transpose(float[] matrix, int rows, int columns)
    {
        var result = new float[matrix.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                result[(c * rows) + r] = matrix[(r * columns) + c];
            }
        }
        return result;
    }
}
