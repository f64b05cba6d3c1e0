using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Compression.Plugins.Distillation.Augmentation;

/// <summary>
/// Random augmentations of the training batches the student sees while distilling, as they appear in
/// compression.json. Every one is off by default; an <see cref="Augmenter"/> applies them, seeded, in
/// the order flip, shift, mixup, noise. <see cref="Augmenter.Validate"/> checks them against the data's
/// sample shape.
/// </summary>
public sealed class AugmentSettings
{
    [Range(0, 1000, ErrorMessage = "must be between 0 and 1000")]
    [Description("Random translation of image samples by up to this many pixels along each axis, with zero padding (pad and random crop); 0 = off.")]
    public int Shift { get; set; }

    [Description("Mirror each image sample along its width with probability 0.5 (only for data where a mirrored sample is the same class).")]
    public bool HorizontalFlip { get; set; }

    [Range(0.0, 100.0, ErrorMessage = "must be in [0, 100]")]
    [Description("Standard deviation of Gaussian noise added to every (normalised) feature; 0 = off.")]
    public double Noise { get; set; }

    [Range(0.0, 100.0, ErrorMessage = "must be in [0, 100]")]
    [Description("Mixup: each sample is mixed with another of its batch with a weight drawn from Beta(a, a) for this a (e.g. 0.2 to 1); a mixed sample has no hard label, only the teacher's targets teach it; 0 = off.")]
    public double Mixup { get; set; }
}
