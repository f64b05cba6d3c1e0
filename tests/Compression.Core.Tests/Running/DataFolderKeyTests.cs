using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Gate;
using Compression.Core.Running;
using Compression.Data.Csv;
using Compression.Data.Formats;
using Compression.Data.Loading;

namespace Compression.Core.Tests.Running;

/// <summary>A format whose key names a folder: located checks, the content hash over its files, its digest, and inputs.txt.</summary>
public sealed class DataFolderKeyTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public DataFolderKeyTests()
    {
        _folder.Write("train/rows.csv", "x,label\n" + string.Join("\n", Enumerable.Range(0, 20).Select(i => $"{i},{i % 2}")) + "\n");
        _folder.Write("train/notes/extra.txt", "part of the folder");
        _folder.Write("test/rows.csv", "x,label\n1,0\n2,1\n");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_missing_data_folder_is_CMP2002_at_its_path_and_a_file_where_a_folder_belongs_is_CMP2005()
    {
        var missing = Assert.Throws<CompressionException>(() => DataSetFactory.ResolveFiles(Config(train: "nowhere"), Formats()));
        _folder.Write("file.csv", "x");
        var file = Assert.Throws<CompressionException>(() => DataSetFactory.ResolveFiles(Config(train: "file.csv"), Formats()));

        Finding notFound = Assert.Single(missing.Findings);
        Assert.Equal(ErrorCodes.DataNotFound, notFound.Code);
        Assert.Equal($"data folder not found: {Path.Combine(_folder.Path, "nowhere")}", notFound.Message);
        Assert.Equal((4, 24), (notFound.Location!.Line, notFound.Location.Column));
        Finding notFolder = Assert.Single(file.Findings);
        Assert.Equal(ErrorCodes.DataNotRegularFile, notFolder.Code);
        Assert.Contains("is a file: expected a folder", notFolder.Message, StringComparison.Ordinal);
        Assert.Equal(4, notFolder.Location!.Line);
    }

    [Fact]
    public void The_content_hash_follows_every_file_of_the_folder_but_not_hidden_ones()
    {
        string Hash() => DataSetFactory.Load(Config(), Formats(), new DataFileDigests()).Splits.ContentHash;
        string original = Hash();

        _folder.Write("train/.DS_Store", "finder");
        string withHidden = Hash();
        _folder.Write("train/notes/extra.txt", "part of the folder!");
        string edited = Hash();
        File.Move(Path.Combine(_folder.Path, "train/notes/extra.txt"), Path.Combine(_folder.Path, "train/notes/renamed.txt"));
        string renamed = Hash();
        _folder.Write("train/notes/added.txt", "");
        string added = Hash();

        Assert.Equal(original, withHidden);
        Assert.Equal(4, new[] { original, edited, renamed, added }.Distinct().Count());
    }

    [Fact]
    public void A_folder_is_recorded_by_one_digest_over_its_files_and_inputs_txt_lists_the_files()
    {
        LoadedConfig loaded = Config();
        DataFormatRegistry formats = Formats();
        var digests = new DataFileDigests();
        LoadedDataSet data = DataSetFactory.Load(loaded, formats, digests);
        string test = Path.Combine(_folder.Path, "test");

        string identity = TestSetIdentity.Of(loaded, formats, digests);
        string expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"rows.csv\t{Compression.Core.Cache.ContentHash.OfFile(Path.Combine(test, "rows.csv"))}\n")));

        Assert.Equal(expected, data.Digests.Of(test));
        Assert.Equal(identity, TestSetIdentity.Of(loaded, formats, new DataFileDigests()));
        Assert.Equal(3, digests.FilesHashed);
        IReadOnlyList<string> inputs = ConfigInputs.Files(loaded, formats);
        Assert.Contains(Path.Combine(_folder.Path, "train", "notes", "extra.txt"), inputs);
        Assert.Contains(Path.Combine(test, "rows.csv"), inputs);
        Assert.DoesNotContain(test, inputs);
    }

    private static DataFormatRegistry Formats() => new([new FolderCsvFormat()]);

    private LoadedConfig Config(string train = "train")
    {
        string path = _folder.Write("compression.json", $$"""
            {
              "data": {
                "format": "folder-csv",
                "train": { "path": "{{train}}" },
                "test": { "path": "test" },
                "normalization": "none"
              }
            }
            """);
        return ConfigLoader.Load(path);
    }

    /// <summary>A folder per split whose rows.csv holds the rows; every other file of the folder is part of the data too.</summary>
    private sealed class FolderCsvFormat : DataFormat
    {
        public override string Name => "folder-csv";

        public override IReadOnlyList<string> FileKeys { get; } = ["path"];

        public override IReadOnlyCollection<string> FolderKeys { get; } = ["path"];

        public override DataFormatContent Read(DataSetOptions options, CancellationToken cancellationToken) =>
            new CsvFormat().Read(options with
            {
                Train = DataFiles.Csv(Path.Combine(options.Train.Path!, "rows.csv")),
                Test = DataFiles.Csv(Path.Combine(options.Test.Path!, "rows.csv")),
            }, cancellationToken);
    }
}
