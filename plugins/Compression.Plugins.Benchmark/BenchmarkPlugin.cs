using Compression.Abstractions.Plugins;
using Compression.Abstractions.Stages;
using Microsoft.Extensions.DependencyInjection;

[assembly: CompressionPlugin(typeof(Compression.Plugins.Benchmark.BenchmarkPlugin))]

namespace Compression.Plugins.Benchmark;

/// <summary>Registers the benchmark stage.</summary>
public sealed class BenchmarkPlugin : ICompressionPlugin
{
    public void Configure(IServiceCollection services) => services.AddSingleton<IStage, BenchmarkStage>();
}
