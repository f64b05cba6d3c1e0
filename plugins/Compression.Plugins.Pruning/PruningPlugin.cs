using Compression.Abstractions.Plugins;
using Compression.Abstractions.Stages;
using Microsoft.Extensions.DependencyInjection;

[assembly: CompressionPlugin(typeof(Compression.Plugins.Pruning.PruningPlugin))]

namespace Compression.Plugins.Pruning;

/// <summary>Registers the prune stage.</summary>
public sealed class PruningPlugin : ICompressionPlugin
{
    public void Configure(IServiceCollection services) => services.AddSingleton<IStage, PruneStage>();
}
