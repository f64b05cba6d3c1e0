using Compression.Abstractions.Plugins;
using Compression.Data.Formats;
using Microsoft.Extensions.DependencyInjection;

[assembly: CompressionPlugin(typeof(Compression.Plugins.Images.ImagesPlugin))]

namespace Compression.Plugins.Images;

/// <summary>Registers the "images" data format (image folders, one subfolder per class).</summary>
public sealed class ImagesPlugin : ICompressionPlugin
{
    public void Configure(IServiceCollection services) => services.AddSingleton<DataFormat>(new ImageFolderFormat());
}
