using Compression.Data.Formats;
using Compression.Data.Loading;
using Compression.Plugins.Images;
using SkiaSharp;

namespace Compression.Plugins.Tests.Images;

public sealed partial class ImageFolderFormatTests
{
    [Fact]
    public void A_second_read_comes_from_the_decoded_cache_and_a_damaged_cache_file_is_rebuilt()
    {
        TwoClasses();
        string cache = Image("cache");
        var first = new Lines();
        var second = new Lines();
        var third = new Lines();

        DataFormatContent decoded = Read(Settings(3, 3, 3), cache: cache, progress: first);
        string[] files = Directory.GetFiles(Path.Combine(cache, "images"));
        DateTime written = File.GetLastWriteTimeUtc(files[0]);
        DataFormatContent cached = Read(Settings(3, 3, 3), cache: cache, progress: second);
        DateTime afterSecond = File.GetLastWriteTimeUtc(files[0]);
        string damaged = files[0];
        byte[] bytes = File.ReadAllBytes(damaged);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(damaged, bytes);
        DataFormatContent rebuilt = Read(Settings(3, 3, 3), cache: cache, progress: third);

        Assert.Equal(2, files.Length);
        Assert.Contains("data: train: decoding 2 images", first.All);
        Assert.Equal(["data: train: 2 images read from the decoded-image cache", "data: test: 2 images read from the decoded-image cache"], second.All);
        Assert.Equal(written, afterSecond);
        Assert.Equal(decoded.Train.Features, cached.Train.Features);
        Assert.Equal(decoded.Test.Features, cached.Test.Features);
        Assert.Equal(decoded.Train.Labels, cached.Train.Labels);
        Assert.Single(third.All, line => line.Contains("decoded 2 images", StringComparison.Ordinal));
        Assert.Single(third.All, line => line.Contains("read from the decoded-image cache", StringComparison.Ordinal));
        Assert.Equal(decoded.Train.Features.Concat(decoded.Test.Features), rebuilt.Train.Features.Concat(rebuilt.Test.Features));
        Assert.NotEqual(bytes, File.ReadAllBytes(damaged));
        Assert.Empty(Directory.GetFiles(Path.Combine(cache, "images"), "*.tmp"));
    }

    [Fact]
    public void Changed_settings_or_image_bytes_miss_the_cache()
    {
        TwoClasses();
        string cache = Image("cache");
        Read(Settings(3, 3, 3), cache: cache);
        var settings = new Lines();
        var bytes = new Lines();

        Read(Settings(3, 3, 3, resize: "stretch"), cache: cache, progress: settings);
        ImageFiles.Png(Image("test/b/1.png"), 4, 4, (_, _) => SKColors.Blue);
        DataFormatContent changed = Read(Settings(3, 3, 3, resize: "stretch"), cache: cache, progress: bytes);

        Assert.Contains("data: train: decoding 2 images", settings.All);
        Assert.Contains("data: train: 2 images read from the decoded-image cache", bytes.All);
        Assert.Contains("data: test: decoding 2 images", bytes.All);
        Assert.Equal([0, 0, 255], changed.Test.Features.Skip(27).Where((_, i) => i % 9 == 0).ToArray());
    }

    [Fact]
    public void The_content_hash_changes_with_a_byte_of_an_image_a_move_to_another_class_and_the_settings()
    {
        TwoClasses();
        ImageFiles.Png(Image("train/a/2.png"), 4, 4, (_, _) => SKColors.Green);
        ImageFiles.Png(Image("train/b/2.png"), 4, 4, (_, _) => SKColors.Green);
        string Hash(ImageFolderSettings settings) => DataSetLoader.LoadDataSet(Options(settings, digests: new DataFileDigests())).Splits.ContentHash;
        string original = Hash(Settings(3, 3, 3));
        string again = Hash(Settings(3, 3, 3));

        string layout = Hash(Settings(3, 3, 3, layout: "NHWC"));
        // A byte after the PNG's end: decoders ignore it, the hash must not.
        File.AppendAllText(Image("test/a/1.png"), "\n");
        string edited = Hash(Settings(3, 3, 3));
        File.Move(Image("train/b/2.png"), Image("train/a/3.png"));
        string moved = Hash(Settings(3, 3, 3));

        Assert.Equal(original, again);
        Assert.Equal(4, new[] { original, layout, edited, moved }.Distinct().Count());
    }

    [Fact]
    public void The_loaded_data_set_has_the_classes_shape_and_scaled_values_of_the_folders()
    {
        TwoClasses();
        ImageFiles.Png(Image("unlabelled/1.png"), 4, 4, (_, _) => SKColors.White);

        LoadedDataSet data = DataSetLoader.LoadDataSet(Options(Settings(2, 2, 1), transfer: "unlabelled") with { Normalization = "scale" });

        Assert.Equal(2, data.Splits.ClassCount);
        Assert.Equal([1, 2, 2], data.Splits.Train.SampleShape);
        Assert.Equal(2, data.Splits.Test.Count);
        Assert.Equal(1, data.Splits.Transfer.Count);
        Assert.All(data.Splits.Transfer.Features, value => Assert.Equal(1f, value, 1e-6f));
    }
}
