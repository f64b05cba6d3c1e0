using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Compression.Data.Loading;

namespace Compression.Data.Tests.Loading;

/// <summary>
/// The data set's content hash is a cache key users' caches hold: reading through registered formats
/// must give the very value the loader gave before formats were registered. The expected values are
/// computed here by that earlier algorithm, written out independently.
/// </summary>
public sealed partial class DataSetLoaderTests
{
    [Fact]
    public void The_idx_content_hash_is_the_one_from_before_formats_were_registered()
    {
        DataSetOptions options = TinyIdx(seed: 5) with { Transfer = new DataFiles(Features: TransferImages(2)), LabeledCount = 3 };

        string expected = EarlierHash(
            [("train.features", options.Train.Features!), ("train.labels", options.Train.Labels!), ("test.features", options.Test.Features!), ("test.labels", options.Test.Labels!)],
            formatText: null,
            common: string.Create(CultureInfo.InvariantCulture, $"format=idx;normalization=scale;scale={1.0 / 255.0:R};validationFraction={0.3:R};seed=5;"),
            transfer: options.Transfer!.Features!,
            tail: "labeledCount=3;");

        Assert.Equal(expected, DataSetLoader.Load(options).ContentHash);
    }

    [Fact]
    public void The_csv_content_hash_is_the_one_from_before_formats_were_registered()
    {
        string train = _files.WriteText("train.csv", "x,y,Target\n1,5,0\n3,5,1\n2,2,0\n4,4,1\n");
        string test = _files.WriteText("test.csv", "x,y,Target\n10,7,1\n");
        string transfer = _files.WriteText("unlabelled.csv", "x,y\n4,6\n");
        var options = new DataSetOptions
        {
            Format = "CSV",
            Train = DataFiles.Csv(train),
            Test = DataFiles.Csv(test),
            Transfer = DataFiles.Csv(transfer),
            LabelColumn = "Target",
            ValidationFraction = 0.25,
            Normalization = "standardize",
            Seed = 2,
        };

        string expected = EarlierHash(
            [("train", train), ("test", test)],
            formatText: "labelColumn=target;",
            common: string.Create(CultureInfo.InvariantCulture, $"format=csv;normalization=standardize;scale={0.0:R};validationFraction={0.25:R};seed=2;"),
            transfer: transfer,
            tail: "");

        Assert.Equal(expected, DataSetLoader.Load(options).ContentHash);
    }

    private static string EarlierHash((string Role, string Path)[] files, string? formatText, string common, string transfer, string tail)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Text(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text));
        void FileBytes(string role, string path)
        {
            byte[] bytes = File.ReadAllBytes(path);
            Text($"file:{role}:{bytes.Length};");
            hash.AppendData(bytes);
        }
        Text("Compression.Data.DataSetLoader/1;");
        foreach ((string role, string path) in files)
        {
            FileBytes(role, path);
        }
        if (formatText is not null)
        {
            Text(formatText);
        }
        Text(common);
        FileBytes("transfer", transfer);
        Text(tail);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
