using Compression.Abstractions.Distillation;
using Compression.Abstractions.Plugins;
using Microsoft.Extensions.DependencyInjection;

[assembly: CompressionPlugin(typeof(NewerDependencyPlugin.NewerDependencyPluginEntry))]

namespace NewerDependencyPlugin;

/// <summary>Registers the method that reports which System.CommandLine it runs with.</summary>
public sealed class NewerDependencyPluginEntry : ICompressionPlugin
{
    public void Configure(IServiceCollection services) => services.AddSingleton<IDistillationMethod, CommandLineParsedMethod>();
}
