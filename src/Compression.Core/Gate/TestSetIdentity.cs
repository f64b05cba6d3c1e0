using Compression.Core.Cache;
using Compression.Core.Config;
using Compression.Core.Running;
using Compression.Data.Formats;
using Compression.Data.Loading;

namespace Compression.Core.Gate;

/// <summary>
/// Identifies the test split by its files' bytes (and the format's settings that decide its labels,
/// e.g. CSV's label column), not by the normalised samples: a change of normalisation or training
/// data leaves the test samples, and so a sample-by-sample comparison with a baseline, valid.
/// </summary>
public static class TestSetIdentity
{
    /// <summary>Hex SHA-256 over the test split's files as the config names them (built-in formats, files hashed here).</summary>
    public static string Of(LoadedConfig loaded) => Of(loaded, DataFormatRegistry.BuiltIn, new DataFileDigests());

    /// <summary>Hex SHA-256 over the test split's files, their digests taken from <paramref name="digests"/> (hashed there once per run).</summary>
    public static string Of(LoadedConfig loaded, DataFormatRegistry formats, DataFileDigests digests)
    {
        ArgumentNullException.ThrowIfNull(digests);
        _ = loaded.Config.Data ?? throw new InvalidOperationException("a loaded config always has a data section");
        DataSetOptions options = DataSetFactory.Options(loaded, formats);
        DataFormat format = formats.Find(options.Format)!;
        var key = new ContentHash.KeyBuilder().Add("test-data/1").Add(format.Name);
        foreach (string fileKey in format.FileKeys)
        {
            // A folder (the images format's path) is its digest over its files' relative paths and SHA-256s.
            key.Add(format.Digest(fileKey, options.Test.Get(fileKey)!, digests));
        }
        foreach (string part in format.TestSetSettings(options))
        {
            key.Add(part);
        }
        return key.Build();
    }
}
