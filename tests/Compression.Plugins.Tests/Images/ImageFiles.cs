using SkiaSharp;

namespace Compression.Plugins.Tests.Images;

/// <summary>Writes small PNG and JPEG files with SkiaSharp for the images format's tests.</summary>
internal static class ImageFiles
{
    /// <summary>An RGBA PNG (unpremultiplied, as PNG stores it) of <paramref name="pixel"/>(x, y).</summary>
    public static string Png(string path, int width, int height, Func<int, int, SKColor> pixel) =>
        Write(path, Bitmap(width, height, SKColorType.Rgba8888, pixel), SKEncodedImageFormat.Png, 100);

    /// <summary>A grayscale (8-bit) PNG of <paramref name="value"/>(x, y).</summary>
    public static string GrayPng(string path, int width, int height, Func<int, int, byte> value) =>
        Write(path, Bitmap(width, height, SKColorType.Gray8, (x, y) => new SKColor(value(x, y), value(x, y), value(x, y))), SKEncodedImageFormat.Png, 100);

    /// <summary>A JPEG of <paramref name="pixel"/>(x, y) at quality 95.</summary>
    public static string Jpeg(string path, int width, int height, Func<int, int, SKColor> pixel) =>
        Write(path, Bitmap(width, height, SKColorType.Rgba8888, pixel), SKEncodedImageFormat.Jpeg, 95);

    private static SKBitmap Bitmap(int width, int height, SKColorType type, Func<int, int, SKColor> pixel)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, type, SKAlphaType.Unpremul));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, pixel(x, y));
            }
        }
        return bitmap;
    }

    private static string Write(string path, SKBitmap bitmap, SKEncodedImageFormat format, int quality)
    {
        using (bitmap)
        using (SKData data = bitmap.Encode(format, quality))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, data.ToArray());
        }
        return path;
    }
}
