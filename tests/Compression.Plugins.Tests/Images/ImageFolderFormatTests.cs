using Compression.Abstractions.Data;
using Compression.Abstractions.Stages;
using Compression.Data;
using Compression.Data.Formats;
using Compression.Data.Loading;
using Compression.Plugins.Images;
using SkiaSharp;

namespace Compression.Plugins.Tests.Images;

/// <summary>The images format: pixels in both layouts and channel counts, resizing, classes, errors naming the file, the decoded cache and the content hash.</summary>
public sealed partial class ImageFolderFormatTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "compression-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static readonly SKColor[] s_colours = [new(10, 20, 30), new(200, 100, 50), new(0, 255, 128), new(77, 66, 55), new(1, 2, 3), new(250, 240, 230)];

    [Fact]
    public void An_rgb_png_gives_its_exact_pixels_in_NCHW_and_in_NHWC()
    {
        string file = ImageFiles.Png(Image("train/a/one.png"), 3, 2, (x, y) => s_colours[(y * 3) + x]);
        ImageFiles.Png(Image("test/a/one.png"), 3, 2, (x, y) => s_colours[(y * 3) + x]);

        float[] nchw = Read(Settings(2, 3, 3)).Train.Features;
        DataFormatSplit nhwc = Read(Settings(2, 3, 3, layout: "NHWC")).Train;

        Assert.True(File.Exists(file));
        Assert.Equal([10, 200, 0, 77, 1, 250, 20, 100, 255, 66, 2, 240, 30, 50, 128, 55, 3, 230], nchw);
        Assert.Equal([2, 3, 3], nhwc.SampleShape);
        Assert.Equal([10, 20, 30, 200, 100, 50, 0, 255, 128, 77, 66, 55, 1, 2, 3, 250, 240, 230], nhwc.Features);
    }

    [Fact]
    public void A_grayscale_png_read_as_rgb_is_replicated_and_rgb_read_as_grayscale_is_its_bt601_luma()
    {
        ImageFiles.GrayPng(Image("train/a/gray.png"), 2, 1, (x, _) => (byte)(x == 0 ? 17 : 240));
        ImageFiles.Png(Image("test/a/rgb.png"), 2, 1, (x, _) => s_colours[x + 1]);

        DataFormatContent rgb = Read(Settings(1, 2, 3));
        DataFormatContent gray = Read(Settings(1, 2, 1));

        Assert.Equal([17, 240, 17, 240, 17, 240], rgb.Train.Features);
        Assert.Equal([1, 1, 2], gray.Test.SampleShape);
        Assert.Equal([17, 240], gray.Train.Features);
        Assert.Equal([(float)((0.299 * 200) + (0.587 * 100) + (0.114 * 50)), (float)((0.587 * 255) + (0.114 * 128))], gray.Test.Features);
    }

    [Fact]
    public void Transparent_pixels_are_composited_on_black()
    {
        ImageFiles.Png(Image("train/a/alpha.png"), 3, 1, (x, _) => new SKColor(255, 100, 0, x switch { 0 => 255, 1 => 0, _ => 51 }));
        ImageFiles.Png(Image("test/a/alpha.png"), 1, 1, (_, _) => SKColors.White);

        float[] features = Read(Settings(1, 3, 3, layout: "NHWC", resize: "stretch")).Train.Features;

        Assert.Equal([255, 100, 0, 0, 0, 0, 51, 20, 0], features);
    }

    [Fact]
    public void Center_crop_keeps_the_middle_of_a_wide_image_and_stretch_squeezes_all_of_it()
    {
        // Three vertical bands, 4 pixels wide each: red | green | blue, 4 rows.
        SKColor[] bands = [new(255, 0, 0), new(0, 255, 0), new(0, 0, 255)];
        ImageFiles.Png(Image("train/a/bands.png"), 12, 4, (x, _) => bands[x / 4]);
        ImageFiles.Png(Image("test/a/bands.png"), 12, 4, (x, _) => bands[x / 4]);
        // An exact crop (no scaling): 6 x 2 to 2 x 2 keeps columns 2 and 3.
        ImageFiles.Png(Image("train/b/exact.png"), 6, 2, (x, _) => s_colours[x]);
        ImageFiles.Png(Image("test/b/exact.png"), 6, 2, (x, _) => s_colours[x]);

        DataFormatSplit crop = Read(Settings(2, 2, 3, layout: "NHWC")).Train;
        DataFormatSplit stretch = Read(Settings(2, 2, 3, layout: "NHWC", resize: "stretch")).Train;

        float[] cropped = crop.Features[..12];
        Assert.All(Enumerable.Range(0, 4), p => Assert.Equal([0, 255, 0], cropped[(p * 3)..((p * 3) + 3)], Near(1)));
        float[] exact = crop.Features[12..];
        Assert.Equal([0, 255, 128, 77, 66, 55, 0, 255, 128, 77, 66, 55], exact);
        float[] squeezed = stretch.Features[..12];
        Assert.True(squeezed[0] > 150 && squeezed[2] < 100, $"left pixel {squeezed[0]}, {squeezed[1]}, {squeezed[2]}: expected mostly red");
        Assert.True(squeezed[5] > 150 && squeezed[3] < 100, $"right pixel {squeezed[3]}, {squeezed[4]}, {squeezed[5]}: expected mostly blue");
    }

    [Fact]
    public void A_jpeg_decodes_to_its_colours_within_compression_error()
    {
        ImageFiles.Jpeg(Image("train/a/flat.jpg"), 16, 16, (_, _) => new SKColor(200, 60, 30));
        ImageFiles.Jpeg(Image("test/a/flat.JPEG"), 16, 16, (_, _) => new SKColor(40, 90, 220));

        DataFormatContent content = Read(Settings(8, 8, 3, layout: "NHWC"));

        for (int p = 0; p < 64; p++)
        {
            Assert.Equal([200, 60, 30], content.Train.Features[(p * 3)..((p * 3) + 3)], Near(4));
            Assert.Equal([40, 90, 220], content.Test.Features[(p * 3)..((p * 3) + 3)], Near(4));
        }
    }

    [Fact]
    public void Classes_are_the_folder_names_in_ordinal_order_and_hidden_files_are_skipped()
    {
        foreach (string split in new[] { "train", "test" })
        {
            ImageFiles.Png(Image($"{split}/b/1.png"), 1, 1, (_, _) => SKColors.Gray);
            ImageFiles.Png(Image($"{split}/B/1.png"), 1, 1, (_, _) => SKColors.Gray);
            ImageFiles.Png(Image($"{split}/B/nested/2.png"), 1, 1, (_, _) => SKColors.Gray);
            ImageFiles.Png(Image($"{split}/a/1.png"), 1, 1, (_, _) => SKColors.Gray);
        }
        File.WriteAllText(Image("train/.DS_Store"), "finder");
        File.WriteAllText(Image("train/a/.DS_Store"), "finder");
        File.WriteAllText(Image("train/a/Thumbs.db"), "explorer");
        ImageFiles.Png(Image("train/.hidden/1.png"), 1, 1, (_, _) => SKColors.Gray);

        DataFormatContent content = Read(Settings(1, 1, 1));

        Assert.Equal(["B", "a", "b"], content.ClassNames);
        Assert.Equal([0, 0, 1, 2], content.Train.Labels);
        Assert.Equal([0, 0, 1, 2], content.Test.Labels);
    }

    [Fact]
    public void The_transfer_folder_takes_images_anywhere_below_it_without_labels()
    {
        ImageFiles.Png(Image("train/a/1.png"), 1, 1, (_, _) => SKColors.Gray);
        ImageFiles.Png(Image("test/a/1.png"), 1, 1, (_, _) => SKColors.Gray);
        ImageFiles.Png(Image("unlabelled/1.png"), 1, 1, (_, _) => SKColors.Gray);
        ImageFiles.Jpeg(Image("unlabelled/deep/er/2.jpg"), 1, 1, (_, _) => SKColors.Gray);

        DataFormatContent content = Read(Settings(1, 1, 1), transfer: "unlabelled");

        Assert.Equal([LabelledData.NoLabel, LabelledData.NoLabel], content.Transfer!.Labels);
    }

    private static IEqualityComparer<float> Near(float tolerance) => new NearComparer(tolerance);

    private sealed class NearComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }

    private string Image(string relative) => Path.Combine(_root, relative);

    private static ImageFolderSettings Settings(int height, int width, int channels, string layout = "NCHW", string resize = "center-crop") =>
        new() { Size = [height, width], Channels = channels, Layout = layout, Resize = resize };

    private DataSetOptions Options(ImageFolderSettings settings, string? transfer = null, string? cache = null, IProgress<string>? progress = null, IMemoryBudget? budget = null, DataFileDigests? digests = null) => new()
    {
        Format = "images",
        Formats = new DataFormatRegistry([new ImageFolderFormat()]),
        FormatSettings = settings,
        Train = DataFiles.Csv(Image("train")),
        Test = DataFiles.Csv(Image("test")),
        Transfer = transfer is null ? null : DataFiles.Csv(Image(transfer)),
        Normalization = "none",
        ValidationFraction = 0,
        CacheFolder = cache,
        Progress = progress,
        MemoryBudget = budget,
        Digests = digests,
    };

    private DataFormatContent Read(ImageFolderSettings settings, string? transfer = null, string? cache = null, IProgress<string>? progress = null, IMemoryBudget? budget = null) =>
        new ImageFolderFormat().Read(Options(settings, transfer, cache, progress, budget), CancellationToken.None);

    /// <summary>Progress lines, collected as they are reported (on the reporting thread).</summary>
    private sealed class Lines : IProgress<string>
    {
        public List<string> All { get; } = [];

        public void Report(string value)
        {
            lock (All)
            {
                All.Add(value);
            }
        }
    }

    private sealed record Budget(long Bytes, string Source) : IMemoryBudget;
}
