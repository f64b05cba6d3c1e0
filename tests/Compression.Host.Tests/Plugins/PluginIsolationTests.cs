using System.CommandLine;
using Compression.Abstractions.Distillation;
using Compression.Core.Diagnostics;
using Compression.Host.Plugins;
using Microsoft.Extensions.DependencyInjection;
using static TorchSharp.torch;

namespace Compression.Host.Tests.Plugins;

/// <summary>
/// A plugin that needs a newer version of a library the host also uses (System.CommandLine 3.0.0; the
/// host runs on 2.0.0) gets its own copy in its own load context, while the host keeps its version.
/// </summary>
public class PluginIsolationTests
{
    private static string PluginPath => Path.Combine(
        FindRepoRoot(), "tests", "Fixtures", "NewerDependencyPlugin", "bin",
#if DEBUG
        "Debug",
#else
        "Release",
#endif
        "net10.0", "NewerDependencyPlugin.dll");

    [Fact]
    public void A_plugin_runs_with_its_newer_System_CommandLine_while_the_host_keeps_its_own()
    {
        var catalog = new PluginCatalog();
        catalog.LoadPath(PluginPath, new SourceLocation("/app/compression.json", 2, 3));
        var services = new ServiceCollection();
        catalog.ConfigureServices(services);
        using var provider = services.BuildServiceProvider();
        IDistillationMethod method = Assert.Single(provider.GetServices<IDistillationMethod>());

        using var scope = NewDisposeScope();
        Tensor student = tensor(new float[] { 1, 2, 3 }).reshape(1, 3);
        Tensor teacher = tensor(new float[] { 1, 2, 5 }).reshape(1, 3);
        float loss = method.Loss(new DistillationBatch(student, teacher, tensor(new long[] { 0 })), new DistillationOptions(1, 1, new Dictionary<string, double>())).item<float>();

        Assert.Equal("System.CommandLine 3.0.0.0", method.Description);
        Assert.Equal(new Version(2, 0, 0, 0), typeof(RootCommand).Assembly.GetName().Version);
        // mean((0, 0, -2)^2) = 4/3, times the weight 0.5 the plugin parsed with its System.CommandLine.
        Assert.Equal(4.0 / 3 * 0.5, loss, precision: 5);
    }

    [Fact]
    public void The_plugin_targets_keep_what_the_host_provides_out_of_the_output_and_copy_private_dependencies()
    {
        var files = Directory.GetFiles(Path.GetDirectoryName(PluginPath)!).Select(Path.GetFileName).ToHashSet();

        Assert.Contains("System.CommandLine.dll", files);
        Assert.Contains("NewerDependencyPlugin.deps.json", files);
        Assert.DoesNotContain("Compression.Abstractions.dll", files);
        Assert.DoesNotContain("TorchSharp.dll", files);
        Assert.DoesNotContain("Microsoft.Extensions.DependencyInjection.Abstractions.dll", files);
        Assert.False(Directory.Exists(Path.Combine(Path.GetDirectoryName(PluginPath)!, "runtimes")), "no native libraries: TorchSharp's are the host's");
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
