using Compression.Data.Idx;

namespace Compression.Data.Tests.Idx;

public sealed class VendoredMnistTests
{
    [Theory]
    [InlineData("train", 7996)]
    [InlineData("test", 2004)]
    public void The_vendored_MNIST_split_has_every_digit_in_28x28_grey_images(string split, int count)
    {
        IdxFeatures images = IdxReader.ReadFeatures(Path.Combine(RepoPaths.MnistData, $"{split}-images-idx3-ubyte.gz"));
        int[] labels = IdxReader.ReadLabels(Path.Combine(RepoPaths.MnistData, $"{split}-labels-idx1-ubyte.gz"));

        Assert.Equal(count, images.Count);
        Assert.Equal(count, labels.Length);
        Assert.Equal([1, 28, 28], images.SampleShape);
        Assert.Equal(count * 784, images.Features.Length);
        Assert.Equal(Enumerable.Range(0, 10), labels.Distinct().Order());
        Assert.All(Enumerable.Range(0, 10), digit => Assert.True(labels.Count(l => l == digit) >= count / 20));
        Assert.Equal(0f, images.Features.Min());
        Assert.Equal(255f, images.Features.Max());
    }
}
