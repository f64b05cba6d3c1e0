using Compression.Data;
using SkiaSharp;

namespace Compression.Plugins.Images;

/// <summary>
/// Decodes one PNG or JPEG file with SkiaSharp into a sample of <see cref="ImageFolderSettings"/>:
/// resized (stretched, or the centre cropped to the target's aspect ratio and then scaled, with
/// Skia's high-quality filter: mipmaps and bicubic), then written as floats 0..255 in the layout.
/// Decoding is to premultiplied RGBA without colour management, so transparent pixels come out
/// composited on black and the alpha channel is dropped; a grayscale file read as RGB has three equal
/// channels; an RGB file read as grayscale is its ITU-R BT.601 luma, 0.299 R + 0.587 G + 0.114 B
/// (not rounded). EXIF orientation is not applied (as torchvision's PIL loader).
/// </summary>
internal static class ImageDecoder
{
    /// <summary>The most pixels a file may declare (a decompression bomb is refused before it is decoded).</summary>
    public const long MaxPixels = 1L << 26;

    /// <summary>Decodes <paramref name="path"/> into <paramref name="sample"/> (of <see cref="ImageFolderSettings.SampleSize"/> values).</summary>
    /// <exception cref="DataFormatException">The file is not a PNG or JPEG Skia can decode, is truncated, or declares too many pixels.</exception>
    public static void Decode(string path, ImageFolderSettings settings, Span<float> sample)
    {
        byte[] bytes = File.ReadAllBytes(path);
        using SKData data = SKData.CreateCopy(bytes);
        using SKCodec? codec = SKCodec.Create(data);
        string name = Path.GetFileName(path);
        if (codec is null)
        {
            throw new DataFormatException(path, $"{name}: not a PNG or JPEG image that can be decoded (corrupt, truncated or another format; {bytes.Length} bytes)");
        }
        if (codec.EncodedFormat is not (SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg))
        {
            throw new DataFormatException(path, $"{name}: a {codec.EncodedFormat.ToString().ToUpperInvariant()} image: expected PNG or JPEG");
        }
        SKSizeI size = codec.Info.Size;
        if (size.Width < 1 || size.Height < 1 || (long)size.Width * size.Height > MaxPixels)
        {
            throw new DataFormatException(path, $"{name}: declares {size.Width} x {size.Height} pixels: expected at least 1 x 1 and at most {MaxPixels:N0} pixels");
        }
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var decoded = new SKBitmap(info);
        SKCodecResult result = codec.GetPixels(info, decoded.GetPixels());
        if (result != SKCodecResult.Success)
        {
            throw new DataFormatException(path, $"{name}: could not be decoded ({Describe(result)}): expected a complete PNG or JPEG image");
        }
        using SKBitmap resized = Resize(decoded, settings);
        Write(resized, settings, sample);
    }

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "the file ends before the image does",
        SKCodecResult.ErrorInInput => "the image data is corrupt",
        _ => result.ToString(),
    };

    /// <summary>The bitmap at the settings' size: the same pixels when no scaling is needed (a centre crop copies them).</summary>
    private static SKBitmap Resize(SKBitmap source, ImageFolderSettings settings)
    {
        int height = settings.Height, width = settings.Width;
        SKRectI crop = new(0, 0, source.Width, source.Height);
        if (settings.Resize == "center-crop")
        {
            // The largest centred region of the target's aspect ratio: scaling it to the target is
            // scaling the short side to the size and cropping the centre.
            double scale = Math.Max((double)height / source.Height, (double)width / source.Width);
            int cropWidth = Math.Clamp((int)Math.Round(width / scale), 1, source.Width);
            int cropHeight = Math.Clamp((int)Math.Round(height / scale), 1, source.Height);
            int left = (source.Width - cropWidth) / 2, top = (source.Height - cropHeight) / 2;
            crop = new SKRectI(left, top, left + cropWidth, top + cropHeight);
        }
        var subset = new SKBitmap();
        if (!source.ExtractSubset(subset, crop))
        {
            subset.Dispose();
            throw new InvalidOperationException($"could not take the region {crop} of a {source.Width} x {source.Height} bitmap");
        }
        if (subset.Width == width && subset.Height == height)
        {
            return subset;
        }
        using (subset)
        {
            var target = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
            if (!subset.ScalePixels(target, SKFilterQuality.High))
            {
                target.Dispose();
                throw new InvalidOperationException($"Skia could not scale a {subset.Width} x {subset.Height} bitmap to {width} x {height}");
            }
            return target;
        }
    }

    /// <summary>Premultiplied RGBA (composited on black; alpha dropped) into floats in the layout.</summary>
    private static void Write(SKBitmap bitmap, ImageFolderSettings settings, Span<float> sample)
    {
        int height = settings.Height, width = settings.Width, channels = settings.Channels!.Value;
        bool channelsLast = settings.Layout == "NHWC";
        ReadOnlySpan<byte> pixels = bitmap.GetPixelSpan();
        int rowBytes = bitmap.RowBytes;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int offset = (y * rowBytes) + (x * 4);
                byte r = pixels[offset], g = pixels[offset + 1], b = pixels[offset + 2];
                if (channels == 1)
                {
                    sample[(y * width) + x] = (float)((0.299 * r) + (0.587 * g) + (0.114 * b));
                }
                else if (channelsLast)
                {
                    int at = ((y * width) + x) * 3;
                    sample[at] = r;
                    sample[at + 1] = g;
                    sample[at + 2] = b;
                }
                else
                {
                    int plane = height * width, at = (y * width) + x;
                    sample[at] = r;
                    sample[plane + at] = g;
                    sample[(2 * plane) + at] = b;
                }
            }
        }
    }
}
