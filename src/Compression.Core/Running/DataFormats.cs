using Compression.Core.Diagnostics;
using Compression.Data.Formats;

namespace Compression.Core.Running;

/// <summary>The data formats of a run: the built-in ones and every <see cref="DataFormat"/> a plugin registered as a service.</summary>
public static class DataFormats
{
    /// <summary>The registry for <paramref name="services"/> (built-ins only when null).</summary>
    /// <exception cref="CompressionException">Two formats share a name (naming both), or one declares a file key compression.json has no place for (<see cref="ErrorCodes.PluginLoad"/>).</exception>
    public static DataFormatRegistry From(IServiceProvider? services)
    {
        var added = services?.GetService(typeof(IEnumerable<DataFormat>)) as IEnumerable<DataFormat> ?? [];
        try
        {
            return new DataFormatRegistry(added);
        }
        catch (Exception ex) when (ex is DuplicateDataFormatException or ArgumentException)
        {
            throw new CompressionException(ErrorCodes.PluginLoad, ex.Message);
        }
    }
}
