using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Compression.Plugins.Images;

/// <summary><c>data.settings</c> of the "images" format: the sample every image becomes.</summary>
public sealed class ImageFolderSettings : IValidatableObject
{
    /// <summary>The largest side a sample may have.</summary>
    public const int MaxSide = 4096;

    [Required(ErrorMessage = "is required: the [height, width] in pixels every image is resized to, e.g. [28, 28]")]
    [Description("Required: [height, width] in pixels every image is resized to.")]
    public int[]? Size { get; set; }

    [Required(ErrorMessage = "is required: 1 (grayscale) or 3 (RGB)")]
    [Description("Required: 1 (grayscale: RGB images become their ITU-R BT.601 luma) or 3 (RGB: grayscale images are replicated).")]
    public int? Channels { get; set; }

    [AllowedValues("NCHW", "NHWC", ErrorMessage = "expected \"NCHW\" or \"NHWC\"")]
    [Description("\"NCHW\" (default): a sample is [channels, height, width]; \"NHWC\": [height, width, channels].")]
    public string Layout { get; set; } = "NCHW";

    [AllowedValues("center-crop", "stretch", ErrorMessage = "expected \"center-crop\" or \"stretch\"")]
    [Description("\"center-crop\" (default): scale the short side to the size and crop the centre (keeps the aspect ratio); \"stretch\": scale each side to the size.")]
    public string Resize { get; set; } = "center-crop";

    [AllowedValues("auto", "always", ErrorMessage = "expected \"auto\" or \"always\"")]
    [Description("\"auto\" (default): hold the decoded images in memory when they take at most half of the memory budget (maxModelMemoryMb), else serve them from their decoded-image cache file a batch at a time; \"always\": always serve them from the file (least memory; the same results).")]
    public string Stream { get; set; } = "auto";

    /// <summary>Height of a sample.</summary>
    internal int Height => Size![0];

    /// <summary>Width of a sample.</summary>
    internal int Width => Size![1];

    /// <summary>The shape of one sample in <see cref="Layout"/>.</summary>
    internal int[] SampleShape => Layout == "NHWC" ? [Height, Width, Channels!.Value] : [Channels!.Value, Height, Width];

    /// <summary>Values in one sample.</summary>
    internal int SampleSize => Height * Width * Channels!.Value;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Size is { } size && (size.Length != 2 || size.Any(side => side is < 1 or > MaxSide)))
        {
            yield return new ValidationResult($"expected [height, width], each between 1 and {MaxSide}", [nameof(Size)]);
        }
        if (Channels is int channels && channels is not (1 or 3))
        {
            yield return new ValidationResult("expected 1 (grayscale) or 3 (RGB)", [nameof(Channels)]);
        }
    }
}
