namespace Compression.EndToEnd.Tests;

/// <summary>
/// The Fashion-MNIST samples read Debian's dataset-fashion-mnist (installed by .ci/run): their configs
/// validate against the installed files (each must exist as a regular file), so a moved path shows here, without the
/// minutes of training a build takes. A missing package fails with the install command.
/// </summary>
public class FashionMnistSampleTests
{
    private const string DataFolder = "/usr/share/datasets/fashion-mnist";

    [Theory]
    [InlineData("FashionMnist")]
    [InlineData("FashionMnistFewLabels")]
    public void The_sample_config_validates_against_the_installed_data(string sample)
    {
        Assert.True(File.Exists(Path.Combine(DataFolder, "t10k-images-idx3-ubyte.gz")), $"{DataFolder} is missing: apt-get install dataset-fashion-mnist");
        string config = Path.Combine(RepoPaths.Root, "samples", sample, "compression.json");

        var outcome = ProcessRunner.Dotnet([RepoPaths.HostDll, "validate", config], RepoPaths.Root, TimeSpan.FromMinutes(3));

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("is valid", outcome.Output, StringComparison.Ordinal);
    }
}
