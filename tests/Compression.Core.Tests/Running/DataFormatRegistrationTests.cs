using System.ComponentModel;
using Compression.Core.Cache;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Gate;
using Compression.Core.Running;
using Compression.Data.Csv;
using Compression.Data.Formats;
using Compression.Data.Loading;

namespace Compression.Core.Tests.Running;

/// <summary>A data format a plugin registers as a service reaches the config checks, the loader, the baseline identity and the hashing.</summary>
public sealed class DataFormatRegistrationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public DataFormatRegistrationTests()
    {
        _folder.Write("train.csv", "x,cls\n" + string.Join("\n", Enumerable.Range(0, 20).Select(i => $"{i},{i % 2}")) + "\n");
        _folder.Write("test.csv", "x,cls\n1,0\n2,1\n");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_plugin_format_named_in_the_config_loads_with_its_settings_and_each_file_is_hashed_once()
    {
        LoadedConfig loaded = Config("table", """, "settings": { "labelField": "cls" }""");
        DataFormatRegistry formats = DataFormats.From(new Services(new TableFormat()));
        var digests = new DataFileDigests();

        var data = DataSetFactory.Load(loaded, formats, digests);
        string identity = TestSetIdentity.Of(loaded, formats, digests);

        Assert.Equal(2, data.Splits.ClassCount);
        Assert.Equal(18 + 2, data.Splits.Train.Count + data.Splits.Validation.Count);
        Assert.Equal(2, digests.FilesHashed);
        Assert.Equal(new ContentHash.KeyBuilder().Add("test-data/1").Add("table").Add(ContentHash.OfFile(System.IO.Path.Combine(_folder.Path, "test.csv"))).Add("{\"LabelField\":\"cls\"}").Build(), identity);
    }

    [Fact]
    public void The_csv_test_set_identity_is_the_one_baselines_already_hold_and_reuses_the_loader_digests()
    {
        LoadedConfig loaded = Config("csv", """, "labelColumn": "cls" """);
        var digests = new DataFileDigests();
        DataSetFactory.Load(loaded, DataFormatRegistry.BuiltIn, digests);

        string identity = TestSetIdentity.Of(loaded, DataFormatRegistry.BuiltIn, digests);

        Assert.Equal(2, digests.FilesHashed);
        Assert.Equal(new ContentHash.KeyBuilder().Add("test-data/1").Add("csv").Add(ContentHash.OfFile(System.IO.Path.Combine(_folder.Path, "test.csv"))).Add("cls").Build(), identity);
        Assert.Equal(identity, TestSetIdentity.Of(loaded));
    }

    [Fact]
    public void A_misspelled_format_setting_is_located_at_its_key()
    {
        LoadedConfig loaded = Config("table", """, "settings": { "labelFeild": "cls" }""");

        var error = Assert.Throws<CompressionException>(() => DataSetFactory.ResolveFiles(loaded, DataFormats.From(new Services(new TableFormat()))));

        Finding finding = Assert.Single(error.Findings);
        Assert.Contains("labelFeild", finding.Message, StringComparison.Ordinal);
        Assert.Equal((7, 21), (finding.Location!.Line, finding.Location.Column));
    }

    [Fact]
    public void Settings_for_a_built_in_format_and_an_unknown_format_are_refused_where_they_stand()
    {
        var settings = Assert.Throws<CompressionException>(() => DataSetFactory.ResolveFiles(Config("csv", """, "settings": { "a": 1 }""")));
        var unknown = Assert.Throws<CompressionException>(() => DataSetFactory.ResolveFiles(Config("parquet", ""), DataFormats.From(new Services(new TableFormat()))));

        Finding refused = Assert.Single(settings.Findings);
        Assert.Equal(ErrorCodes.InvalidValue, refused.Code);
        Assert.Equal("'data.settings': format \"csv\" takes no settings of its own; remove \"settings\"", refused.Message);
        Assert.Equal(7, refused.Location!.Line);
        Finding format = Assert.Single(unknown.Findings);
        Assert.Equal("'data.format' is \"parquet\": expected \"idx\", \"csv\" or \"table\"", format.Message);
        Assert.Equal((3, 15), (format.Location!.Line, format.Location.Column));
    }

    [Fact]
    public void Two_plugins_registering_one_format_name_is_a_plugin_load_error_naming_both()
    {
        var error = Assert.Throws<CompressionException>(() => DataFormats.From(new Services(new TableFormat(), new TableFormat())));

        Finding finding = Assert.Single(error.Findings);
        Assert.Equal(ErrorCodes.PluginLoad, finding.Code);
        Assert.Contains($"by {typeof(TableFormat).FullName} (Compression.Core.Tests) and by {typeof(TableFormat).FullName}", finding.Message, StringComparison.Ordinal);
    }

    private LoadedConfig Config(string format, string extra)
    {
        string path = _folder.Write("compression.json", $$"""
            {
              "data": {
                "format": "{{format}}",
                "train": { "path": "train.csv" },
                "test": { "path": "test.csv" },
                "normalization": "none"
                {{extra}}
              }
            }
            """);
        return ConfigLoader.Load(path);
    }

    /// <summary>What the host's service provider answers for the formats plugins registered.</summary>
    private sealed class Services(params DataFormat[] formats) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(IEnumerable<DataFormat>) ? formats : null;
    }

    /// <summary>A plugin-style format: CSV files whose label column is a setting of the format.</summary>
    private sealed class TableFormat : DataFormat
    {
        public override string Name => "table";

        public override IReadOnlyList<string> FileKeys { get; } = ["path"];

        public override Type? SettingsType => typeof(TableSettings);

        public override DataFormatContent Read(DataSetOptions options, CancellationToken cancellationToken) =>
            new CsvFormat().Read(options with { LabelColumn = ((TableSettings)options.FormatSettings!).LabelField }, cancellationToken);
    }

    private sealed class TableSettings
    {
        [Description("The label column.")]
        public string LabelField { get; set; } = "label";
    }
}
