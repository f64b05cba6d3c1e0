using Compression.Host.Plugins;

namespace Compression.Host.Tests.Plugins;

public class SdkCompatibilityTests
{
    [Theory]
    [InlineData("1.2.0", "1.4.3", null)]
    [InlineData("1.4.0", "1.2.3", "built against Compression.Abstractions 1.4.0, which is newer than this host's 1.2.3 and may use members this host lacks; update Compression.Build")]
    [InlineData("2.0.0", "1.9.0", "built against Compression.Abstractions 2.0.0, and this host has 1.9.0, whose contracts differ; update Compression.Build")]
    [InlineData("1.0.0", "2.1.0", "rebuild the plugin against Compression.Abstractions 2.x")]
    [InlineData("0.1.0", "0.1.5", null)]
    [InlineData("0.1.5", "0.1.0", "built against Compression.Abstractions 0.1.5, which is newer than this host's 0.1.0")]
    [InlineData("0.2.0", "0.1.0", "built against Compression.Abstractions 0.2.0, and this host has 0.1.0")]
    public void A_plugin_runs_only_on_a_host_whose_sdk_has_its_major_version(string plugin, string host, string? problem)
    {
        string? actual = SdkCompatibility.Problem(Version.Parse(plugin), Version.Parse(host));

        if (problem is null)
        {
            Assert.Null(actual);
        }
        else
        {
            Assert.NotNull(actual);
            Assert.Contains(problem, actual);
        }
    }

    [Fact]
    public void The_host_references_its_own_sdk_version_and_a_non_plugin_none()
    {
        string plugin = Path.Combine(AppContext.BaseDirectory, "Compression.Abstractions.dll");

        Assert.Null(SdkCompatibility.ReferencedVersion(plugin));
        Assert.Equal(SdkCompatibility.HostVersion, typeof(Compression.Abstractions.Stages.IStage).Assembly.GetName().Version);
        string host = Path.Combine(AppContext.BaseDirectory, "compress.dll");
        Assert.Equal(SdkCompatibility.HostVersion, SdkCompatibility.ReferencedVersion(host));
    }
}
