using Compression.Abstractions.Plugins;
using Compression.Abstractions.Stages;
using Compression.Data.Formats;
using Compression.Models.Layers;
using Microsoft.Extensions.DependencyInjection;

[assembly: CompressionPlugin(typeof(AcmeExtensions.AcmeExtensionsPlugin))]

namespace AcmeExtensions;

/// <summary>Registers what the plugin adds.</summary>
public sealed class AcmeExtensionsPlugin : ICompressionPlugin
{
    public void Configure(IServiceCollection services)
    {
        services.AddSingleton<IStage, GraphNodesStage>();
        services.AddSingleton<LayerType>(new GainLayer());
        services.AddSingleton<DataFormat>(new PixelLinesFormat());
    }
}
