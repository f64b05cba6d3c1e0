namespace Compression.Models.Spec;

/// <summary>
/// How a residual block's input reaches the Add with its body's output: as it is when the shapes are
/// equal, else through a projection: a linear layer for feature vectors, a 1x1 convolution (with the
/// stride that maps the input's size onto the output's) for images, as in ResNet's option B.
/// </summary>
/// <param name="Kind">"identity", "linear" or "conv".</param>
/// <param name="Stride">The 1x1 convolution's stride.</param>
public sealed record ResidualShortcut(string Kind, int Stride = 1)
{
    /// <summary>The shortcut from <paramref name="input"/> to <paramref name="output"/>, or null when none can join them.</summary>
    public static ResidualShortcut? Between(int[] input, int[] output)
    {
        if (input.SequenceEqual(output))
        {
            return new ResidualShortcut("identity");
        }
        if (input.Length == 1 && output.Length == 1)
        {
            return new ResidualShortcut("linear");
        }
        if (input.Length != 3 || output.Length != 3)
        {
            return null;
        }
        // A 1x1 convolution with stride s maps size n to (n - 1) / s + 1.
        for (int stride = 1; stride <= Math.Max(input[1], input[2]); stride++)
        {
            if ((input[1] - 1) / stride + 1 == output[1] && (input[2] - 1) / stride + 1 == output[2])
            {
                return new ResidualShortcut("conv", stride);
            }
        }
        return null;
    }
}
