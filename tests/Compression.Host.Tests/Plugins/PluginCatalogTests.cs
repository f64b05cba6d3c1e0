using Compression.Abstractions.Distillation;
using Compression.Core.Diagnostics;
using Compression.Host.Plugins;
using Microsoft.Extensions.DependencyInjection;

namespace Compression.Host.Tests.Plugins;

public class PluginCatalogTests
{
    private static readonly string s_repoRoot = FindRepoRoot();

    private static string ThirdPartyPluginFolder =>
        Path.Combine(s_repoRoot, "samples", "LogitMatchingPlugin", "bin", Configuration, "net10.0");

    private static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    private static readonly SourceLocation s_location = new("/app/compression.json", 3, 5);

    [Fact]
    public void A_third_party_plugin_registers_its_method_against_the_hosts_own_interface()
    {
        var catalog = new PluginCatalog();
        catalog.LoadPath(Path.Combine(ThirdPartyPluginFolder, "LogitMatchingPlugin.dll"), s_location);
        var services = new ServiceCollection();
        catalog.ConfigureServices(services);
        using var provider = services.BuildServiceProvider();

        IDistillationMethod method = Assert.Single(provider.GetServices<IDistillationMethod>());
        Assert.Equal("logit-mse", method.Name);
        Assert.Equal("LogitMatchingPlugin", Assert.Single(catalog.Plugins).Name);
    }

    [Fact]
    public void A_folder_path_loads_the_assembly_named_after_it()
    {
        string folder = Path.Combine(Path.GetTempPath(), "compression-tests", Guid.NewGuid().ToString("N"), "LogitMatchingPlugin");
        Directory.CreateDirectory(folder);
        try
        {
            foreach (string file in Directory.GetFiles(ThirdPartyPluginFolder))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }
            var catalog = new PluginCatalog();
            catalog.LoadPath(folder, s_location);
            Assert.Single(catalog.Plugins);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    [Fact]
    public void A_missing_plugin_is_CMP1009_at_the_config_entry()
    {
        var error = Assert.Throws<CompressionException>(() => new PluginCatalog().LoadPath("/nonexistent/Plugin.dll", s_location));
        var finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.PluginLoad, finding.Code);
        Assert.Equal(s_location, finding.Location);
        Assert.StartsWith("plugin not found: /nonexistent/Plugin.dll", finding.Message);
    }

    [Fact]
    public void An_assembly_without_the_plugin_attribute_is_rejected_by_name()
    {
        string notAPlugin = typeof(Xunit.Assert).Assembly.Location;
        var error = Assert.Throws<CompressionException>(() => new PluginCatalog().LoadPath(notAPlugin, s_location));
        Assert.Contains("is not a Compression plugin", error.Findings[0].Message);
        Assert.Contains("xunit.assert.dll", error.Findings[0].Message);
    }

    [Fact]
    public void A_file_that_is_not_an_assembly_is_a_load_error_not_a_crash()
    {
        string fake = Path.Combine(Path.GetTempPath(), $"not-an-assembly-{Guid.NewGuid():N}.dll");
        File.WriteAllText(fake, "MZ? no");
        try
        {
            var error = Assert.Throws<CompressionException>(() => new PluginCatalog().LoadPath(fake, s_location));
            Assert.Equal(ErrorCodes.PluginLoad, error.Findings[0].Code);
        }
        finally
        {
            File.Delete(fake);
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Compression.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("repo root not found");
    }
}
