using Compression.Abstractions.Plugins;
using Compression.Data.Formats;
using Microsoft.Extensions.DependencyInjection;

[assembly: CompressionPlugin(typeof(Compression.Plugins.Text.TextPlugin))]

namespace Compression.Plugins.Text;

/// <summary>Registers the "text" data format (CSV or JSON Lines text, tokenised with a BERT WordPiece vocabulary).</summary>
public sealed class TextPlugin : ICompressionPlugin
{
    public void Configure(IServiceCollection services) => services.AddSingleton<DataFormat>(new TextFormat());
}
