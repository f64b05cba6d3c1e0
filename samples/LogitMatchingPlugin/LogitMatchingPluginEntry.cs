using Compression.Abstractions.Distillation;
using Compression.Abstractions.Plugins;
using Microsoft.Extensions.DependencyInjection;

[assembly: CompressionPlugin(typeof(LogitMatchingPlugin.LogitMatchingPluginEntry))]

namespace LogitMatchingPlugin;

/// <summary>Registers the logit-matching distillation method with the host.</summary>
public sealed class LogitMatchingPluginEntry : ICompressionPlugin
{
    public void Configure(IServiceCollection services) => services.AddSingleton<IDistillationMethod, LogitMatchingMethod>();
}
