using Compression.Abstractions.Plugins;
using Compression.Models.Layers;
using Microsoft.Extensions.DependencyInjection;

[assembly: CompressionPlugin(typeof(ScaleLayerPlugin.ScaleLayerPluginEntry))]

namespace ScaleLayerPlugin;

/// <summary>Registers the "scale" layer kind.</summary>
public sealed class ScaleLayerPluginEntry : ICompressionPlugin
{
    public void Configure(IServiceCollection services) => services.AddSingleton<LayerType>(new ScaleLayer());
}
