using Compression.Abstractions.Distillation;
using Compression.Abstractions.Plugins;
using Compression.Abstractions.Stages;
using Compression.Plugins.Distillation.Features;
using Microsoft.Extensions.DependencyInjection;

[assembly: CompressionPlugin(typeof(Compression.Plugins.Distillation.DistillationPlugin))]

namespace Compression.Plugins.Distillation;

/// <summary>Registers the distill stage and its methods: Hinton KD (<c>kd</c>), ensemble KD (<c>multi-teacher</c>), decoupled KD (<c>dkd</c>), and the feature methods <c>fitnets</c>, <c>attention</c> and <c>rkd</c>.</summary>
public sealed class DistillationPlugin : ICompressionPlugin
{
    public void Configure(IServiceCollection services)
    {
        services.AddSingleton<IStage, DistillStage>();
        services.AddSingleton<IDistillationMethod, HintonKdMethod>();
        services.AddSingleton<IDistillationMethod, MultiTeacherKdMethod>();
        services.AddSingleton<IDistillationMethod, DecoupledKdMethod>();
        services.AddSingleton<IDistillationMethod, FitNetsMethod>();
        services.AddSingleton<IDistillationMethod, AttentionTransferMethod>();
        services.AddSingleton<IDistillationMethod, RelationalKdMethod>();
    }
}
