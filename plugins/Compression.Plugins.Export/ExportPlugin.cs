using Compression.Abstractions.Plugins;
using Compression.Abstractions.Stages;
using Microsoft.Extensions.DependencyInjection;

[assembly: CompressionPlugin(typeof(Compression.Plugins.Export.ExportPlugin))]

namespace Compression.Plugins.Export;

/// <summary>Registers the export stage.</summary>
public sealed class ExportPlugin : ICompressionPlugin
{
    public void Configure(IServiceCollection services) => services.AddSingleton<IStage, ExportStage>();
}
