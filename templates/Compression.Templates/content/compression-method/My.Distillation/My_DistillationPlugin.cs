using Compression.Abstractions.Distillation;
using Compression.Abstractions.Plugins;
using Microsoft.Extensions.DependencyInjection;

[assembly: CompressionPlugin(typeof(My.Distillation.My_DistillationPlugin))]

namespace My.Distillation;

/// <summary>The plugin's entry point: registers what it provides with the host.</summary>
public sealed class My_DistillationPlugin : ICompressionPlugin
{
    public void Configure(IServiceCollection services) => services.AddSingleton<IDistillationMethod, My_DistillationMethod>();
}
