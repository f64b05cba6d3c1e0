using Compression.Core.Cache;
using Compression.Core.Config;

namespace Compression.Core.Gate;

/// <summary>
/// Identifies the test split by its files' bytes (and, for CSV, the label column), not by the
/// normalised samples: a change of normalisation or training data leaves the test samples, and so
/// a sample-by-sample comparison with a baseline, valid.
/// </summary>
public static class TestSetIdentity
{
    /// <summary>Hex SHA-256 over the test split's files as the config names them.</summary>
    public static string Of(LoadedConfig loaded)
    {
        DataConfig data = loaded.Config.Data ?? throw new InvalidOperationException("a loaded config always has a data section");
        DataFilesConfig test = data.Test ?? throw new InvalidOperationException("a loaded config always has a test split");
        var key = new ContentHash.KeyBuilder().Add("test-data/1").Add(data.Format.ToLowerInvariant());
        if (data.Format.Equals("csv", StringComparison.OrdinalIgnoreCase))
        {
            key.Add(ContentHash.OfFile(loaded.Resolve(test.Path!))).Add(data.LabelColumn);
        }
        else
        {
            key.Add(ContentHash.OfFile(loaded.Resolve(test.Features!))).Add(ContentHash.OfFile(loaded.Resolve(test.Labels!)));
        }
        return key.Build();
    }
}
