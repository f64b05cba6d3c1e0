using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Running;
using Compression.Host.Plugins;
using Compression.Models.Layers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Compression.Host;

/// <summary>Builds the Generic Host for one command: logging, the runner, and every plugin's services.</summary>
public static class PipelineServices
{
    /// <param name="config">The loaded config (its <c>plugins</c> are loaded), or null.</param>
    /// <param name="verbose">Log details to stderr.</param>
    /// <param name="extraPlugins">Plugins given with <c>--plugin</c> (from the MSBuild <c>CompressionPlugin</c> item).</param>
    public static (IHost Host, PluginCatalog Catalog) Build(LoadedConfig? config, bool verbose, IReadOnlyList<string>? extraPlugins = null)
    {
        var catalog = new PluginCatalog();
        catalog.LoadFolder(PluginCatalog.BuiltInFolder);
        foreach (string plugin in extraPlugins ?? [])
        {
            string full = Path.GetFullPath(plugin);
            catalog.LoadPath(full, new SourceLocation(full));
        }
        if (config is not null)
        {
            for (int i = 0; i < config.Config.Plugins.Count; i++)
            {
                catalog.LoadPath(config.Resolve(config.Config.Plugins[i]), config.Locations.LocateValue($"plugins[{i}]"));
            }
        }

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        // Logs go to stderr so stdout stays the clean stream MSBuild and CI read.
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning);
        builder.Services.AddSingleton<PipelineRunner>();
        builder.Services.AddSingleton<Compression.Abstractions.Stages.IModelMemoryProbe, Memory.ChildProcessMemoryProbe>();
        builder.Services.AddSingleton<Compression.Abstractions.Stages.IMemoryBudget>(MemoryBudget.For(config?.Config.MaxModelMemoryMb));
        if (config is not null)
        {
            builder.Services.AddSingleton<Compression.Abstractions.Stages.IPipelineTask>(new ConfiguredTask(config.Config.Task));
        }
        catalog.ConfigureServices(builder.Services);
        IHost host = builder.Build();
        UseLayerTypes(host.Services);
        return (host, catalog);
    }

    /// <summary>Makes the plugins' layer kinds parseable in every spec of this process (see <see cref="LayerTypes"/>).</summary>
    private static void UseLayerTypes(IServiceProvider services)
    {
        try
        {
            LayerTypes.Use(LayerTypes.BuiltIn.With(services.GetServices<LayerType>()));
        }
        catch (DuplicateLayerTypeException ex)
        {
            throw new CompressionException(ErrorCodes.PluginLoad, ex.Message);
        }
    }
}
