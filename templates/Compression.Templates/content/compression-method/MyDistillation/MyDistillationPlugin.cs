using Compression.Abstractions.Distillation;
using Compression.Abstractions.Plugins;
using Microsoft.Extensions.DependencyInjection;

[assembly: CompressionPlugin(typeof(MyDistillation.MyDistillationPlugin))]

namespace MyDistillation;

/// <summary>The plugin's entry point: registers what it provides with the host.</summary>
public sealed class MyDistillationPlugin : ICompressionPlugin
{
    public void Configure(IServiceCollection services) => services.AddSingleton<IDistillationMethod, MyDistillationMethod>();
}
