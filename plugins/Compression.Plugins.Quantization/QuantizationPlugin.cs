using Compression.Abstractions.Plugins;
using Compression.Abstractions.Stages;
using Microsoft.Extensions.DependencyInjection;

[assembly: CompressionPlugin(typeof(Compression.Plugins.Quantization.QuantizationPlugin))]

namespace Compression.Plugins.Quantization;

/// <summary>Registers the quantize stage.</summary>
public sealed class QuantizationPlugin : ICompressionPlugin
{
    public void Configure(IServiceCollection services) => services.AddSingleton<IStage, QuantizeStage>();
}
