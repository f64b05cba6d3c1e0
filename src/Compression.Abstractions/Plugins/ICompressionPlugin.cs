using Microsoft.Extensions.DependencyInjection;

namespace Compression.Abstractions.Plugins;

/// <summary>
/// A plugin assembly's single entry point, named by <see cref="CompressionPluginAttribute"/>.
/// Register stages as <see cref="Stages.IStage"/> and methods as
/// <see cref="Distillation.IDistillationMethod"/> singletons, and metrics not tied to a stage as
/// <see cref="Metrics.MetricDescriptor"/> singletons (a stage's own metrics it describes itself).
/// </summary>
public interface ICompressionPlugin
{
    /// <summary>Adds what the plugin provides to the host's services.</summary>
    void Configure(IServiceCollection services);
}
