using Compression.Abstractions.Plugins;
using Compression.Abstractions.Stages;
using Microsoft.Extensions.DependencyInjection;

[assembly: CompressionPlugin(typeof(Compression.Plugins.Calibration.CalibrationPlugin))]

namespace Compression.Plugins.Calibration;

/// <summary>Registers the calibrate stage.</summary>
public sealed class CalibrationPlugin : ICompressionPlugin
{
    public void Configure(IServiceCollection services) => services.AddSingleton<IStage, CalibrateStage>();
}
