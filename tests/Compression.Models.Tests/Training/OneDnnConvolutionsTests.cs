using System.Runtime.InteropServices;
using Compression.Models.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Compression.Models.Tests.Training;

public class OneDnnConvolutionsTests
{
    [Fact]
    public void On_x64_linux_convolutions_leave_onednn_unless_the_user_chose_its_isa()
    {
        OneDnnConvolutions.DisableUnlessIsaChosen();
        bool expectOff = OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64
            && Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") is null;
        Assert.Equal(!expectOff, OneDnnConvolutions.Enabled);
        Assert.Equal(!expectOff, OneDnnConvolutions.NnpackEnabled);
    }

    /// <summary>
    /// conv2d's gradient with respect to its input, against the same computation in float64, for output
    /// channel counts off oneDNN's vector blocks (12: not a multiple of 8 or 16; 50) and one on them (64).
    /// oneDNN 3.7.1's AVX2 and AVX-512 kernels got the first two wrong in every call on the AMD EPYC we build on.
    /// </summary>
    [Theory]
    [InlineData(16, 6, 4, 12)]
    [InlineData(64, 32, 14, 50)]
    [InlineData(16, 8, 6, 64)]
    public void The_input_gradient_of_a_convolution_matches_float64(int batch, int inChannels, int size, int outChannels)
    {
        OneDnnConvolutions.DisableUnlessIsaChosen();
        var random = new Random(outChannels);
        Tensor Uniform(long[] shape, double scale) => tensor(Enumerable.Range(0, (int)shape.Aggregate(1L, (a, b) => a * b)).Select(_ => (float)(scale * ((2 * random.NextDouble()) - 1))).ToArray()).reshape(shape);
        using var scope = NewDisposeScope();
        Tensor input = Uniform([batch, inChannels, size, size], 2);
        Tensor weight = Uniform([outChannels, inChannels, 3, 3], 0.3);
        Tensor bias = Uniform([outChannels], 0.1);
        Tensor outputGradient = Uniform([batch, outChannels, size, size], 0.01);

        Tensor exactInput = input.to(float64).requires_grad_(true);
        nn.functional.conv2d(exactInput, weight.to(float64), bias.to(float64), padding: [1, 1]).backward([outputGradient.to(float64)]);
        for (int run = 0; run < 5; run++)
        {
            Tensor x = input.clone().requires_grad_(true);
            nn.functional.conv2d(x, weight, bias, padding: [1, 1]).backward([outputGradient]);
            double error = (x.grad!.to(float64) - exactInput.grad!).abs().max().item<double>();
            Assert.True(error < 1e-5, $"run {run}: max |error| {error} (oneDNN's kernels gave wrong values on a channel tail, NaN at random)");
        }
    }
}
