using System.ComponentModel.DataAnnotations;
using Compression.Data;
using Compression.Data.Loading;
using Compression.Plugins.Images;
using SkiaSharp;

namespace Compression.Plugins.Tests.Images;

public sealed partial class ImageFolderFormatTests
{
    [Fact]
    public void A_corrupt_or_truncated_image_is_a_data_error_naming_the_file()
    {
        TwoClasses();
        string corrupt = Image("train/b/corrupt.png");
        File.WriteAllBytes(corrupt, [0x89, 0x50, 0x4E, 0x47, 1, 2, 3, 4, 5, 6, 7, 8]);
        var garbage = Assert.Throws<DataFormatException>(() => Read(Settings(2, 2, 3)));
        File.Delete(corrupt);
        byte[] whole = File.ReadAllBytes(ImageFiles.Jpeg(Image("train/b/cut.jpg"), 32, 32, (x, y) => s_colours[(x + y) % 6]));
        File.WriteAllBytes(Image("train/b/cut.jpg"), whole[..(whole.Length / 2)]);
        var truncated = Assert.Throws<DataFormatException>(() => Read(Settings(2, 2, 3)));

        Assert.Equal(corrupt, garbage.FilePath);
        Assert.StartsWith("corrupt.png: not a PNG or JPEG image that can be decoded", garbage.Message, StringComparison.Ordinal);
        Assert.Equal(Image("train/b/cut.jpg"), truncated.FilePath);
        Assert.StartsWith("cut.jpg: could not be decoded (the file ends before the image does)", truncated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_of_another_format_or_a_file_of_another_extension_is_named()
    {
        TwoClasses();
        using (var bitmap = new SKBitmap(2, 2))
        using (SKData webp = bitmap.Encode(SKEncodedImageFormat.Webp, 90))
        {
            File.WriteAllBytes(Image("train/a/really.png"), webp.ToArray());
        }
        var webpError = Assert.Throws<DataFormatException>(() => Read(Settings(2, 2, 3)));
        File.Delete(Image("train/a/really.png"));
        File.WriteAllText(Image("test/b/readme.txt"), "notes");
        var extension = Assert.Throws<DataFormatException>(() => Read(Settings(2, 2, 3)));

        Assert.Equal(Image("train/a/really.png"), webpError.FilePath);
        Assert.Equal("really.png: a WEBP image: expected PNG or JPEG", webpError.Message);
        Assert.Equal(Image("test/b/readme.txt"), extension.FilePath);
        Assert.StartsWith("b/readme.txt: not an image the images format reads: expected a .png, .jpg or .jpeg file", extension.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_class_folder_no_class_folders_a_loose_image_and_different_classes_are_each_named()
    {
        TwoClasses();
        Directory.CreateDirectory(Image("train/c"));
        File.WriteAllText(Image("train/c/.DS_Store"), "");
        var empty = Assert.Throws<DataFormatException>(() => Read(Settings(2, 2, 3)));
        Directory.Delete(Image("train/c"), recursive: true);
        ImageFiles.Png(Image("test/c/1.png"), 2, 2, (_, _) => SKColors.Red);
        var different = Assert.Throws<DataFormatException>(() => Read(Settings(2, 2, 3)));
        Directory.Delete(Image("test/c"), recursive: true);
        ImageFiles.Png(Image("train/loose.png"), 2, 2, (_, _) => SKColors.Red);
        var loose = Assert.Throws<DataFormatException>(() => Read(Settings(2, 2, 3)));
        Directory.Delete(Image("train"), recursive: true);
        Directory.CreateDirectory(Image("train"));
        var none = Assert.Throws<DataFormatException>(() => Read(Settings(2, 2, 3)));

        Assert.Equal(Image("train/c"), empty.FilePath);
        Assert.Contains("the class folder 'c' holds no images", empty.Message, StringComparison.Ordinal);
        Assert.Equal(Image("test"), different.FilePath);
        Assert.Contains("not in train: 'c'", different.Message, StringComparison.Ordinal);
        Assert.Equal(Image("train/loose.png"), loose.FilePath);
        Assert.Equal(Image("train"), none.FilePath);
        Assert.Contains("no class folders", none.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NWHC", "center-crop", new[] { 28, 28 }, 1, "Layout", "expected \"NCHW\" or \"NHWC\"")]
    [InlineData("NCHW", "fit", new[] { 28, 28 }, 1, "Resize", "expected \"center-crop\" or \"stretch\"")]
    [InlineData("NCHW", "stretch", new[] { 28 }, 1, "Size", "expected [height, width], each between 1 and 4096")]
    [InlineData("NCHW", "stretch", new[] { 28, 0 }, 3, "Size", "expected [height, width], each between 1 and 4096")]
    [InlineData("NCHW", "stretch", new[] { 28, 28 }, 2, "Channels", "expected 1 (grayscale) or 3 (RGB)")]
    [InlineData("NCHW", "stretch", null, 1, "Size", "is required: the [height, width] in pixels every image is resized to, e.g. [28, 28]")]
    [InlineData("NCHW", "stretch", new[] { 28, 28 }, null, "Channels", "is required: 1 (grayscale) or 3 (RGB)")]
    public void Settings_outside_their_values_are_refused_at_the_setting(string layout, string resize, int[]? size, int? channels, string member, string message)
    {
        var settings = new ImageFolderSettings { Size = size, Channels = channels, Layout = layout, Resize = resize };
        var results = new List<ValidationResult>();

        bool valid = Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true);

        Assert.False(valid);
        ValidationResult result = Assert.Single(results);
        Assert.Equal(member, result.MemberNames.Single());
        Assert.Equal(message, result.ErrorMessage);
    }

    /// <summary>train/a, train/b, test/a, test/b: one 4 x 4 PNG each, all different.</summary>
    private void TwoClasses()
    {
        foreach ((string split, int shift) in new[] { ("train", 0), ("test", 1) })
        {
            ImageFiles.Png(Image($"{split}/a/1.png"), 4, 4, (x, y) => s_colours[(x + y + shift) % 6]);
            ImageFiles.Png(Image($"{split}/b/1.png"), 4, 4, (x, y) => s_colours[((x * y) + shift) % 6]);
        }
    }
}
