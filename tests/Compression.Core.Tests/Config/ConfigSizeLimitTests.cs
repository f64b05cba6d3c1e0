using Compression.Core.Config;
using Compression.Core.Diagnostics;

namespace Compression.Core.Tests.Config;

public class ConfigSizeLimitTests
{
    [Fact]
    public void A_config_above_one_mebibyte_is_refused_before_it_is_read_naming_the_limit()
    {
        using var folder = new TempFolder();
        string json = "{ \"seed\": 1, \"padding\": [" + string.Join(',', Enumerable.Repeat('0', 524_288)) + "] }";
        string path = folder.Write("compression.json", json);
        Assert.True(new FileInfo(path).Length > ConfigLoader.MaxBytes);

        var error = Assert.Throws<CompressionException>(() => ConfigLoader.Load(path));

        Finding finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.ConfigTooLarge, finding.Code);
        Assert.Equal(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"compression.json is {new FileInfo(path).Length:N0} bytes, above the limit of 1,048,576 bytes (1 MiB): a config holds settings and model specs, not data; put data in the files 'data' names"), finding.Message);
        Assert.Equal((path, 1, 1), (finding.Location!.FilePath, finding.Location.Line, finding.Location.Column));
    }

    [Fact]
    public void A_config_at_the_limit_is_read()
    {
        using var folder = new TempFolder();
        string head = "{ \"seed\": 1 }";
        string path = folder.Write("compression.json", head + new string(' ', (int)ConfigLoader.MaxBytes - head.Length));

        var error = Record.Exception(() => ConfigLoader.Load(path));

        Assert.False(error is CompressionException c && c.Findings.Any(f => f.Code == ErrorCodes.ConfigTooLarge), error?.Message);
    }
}
