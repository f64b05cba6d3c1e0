using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Compression.Abstractions.Data;
using Compression.Abstractions.Distillation;
using TorchSharp;
using Compression.Abstractions.Stages;
using static TorchSharp.torch;

namespace Compression.Plugins.Distillation.Augmentation;

/// <summary>
/// Applies <see cref="AugmentSettings"/> to training batches, in the order flip, shift, mixup, noise.
/// Deterministic: the randomness of a batch depends only on the seed and the step number, so the same
/// (seed, step) gives the same batch on the same machine, and each augmentation draws from its own
/// stream (turning one on does not change what another does).
/// <para>
/// Mixup (Zhang et al. 2018) mixes each sample i with sample perm(i) of the same batch,
/// x_i = lambda_i x_i + (1 - lambda_i) x_perm(i) with lambda_i ~ Beta(a, a). A mixed sample's label
/// becomes <see cref="LabelledData.NoLabel"/>: a hard label no longer describes it, so only the
/// teacher's targets on the mixed input teach it, as in Beyer et al. 2022, "Knowledge distillation: A
/// good teacher is patient and consistent" (function matching). The teacher must therefore see the same
/// augmented batch as the student.
/// </para>
/// </summary>
public sealed class Augmenter
{
    private const int FlipStream = 1;
    private const int ShiftStream = 2;
    private const int MixupStream = 3;
    private const int NoiseStream = 4;

    private readonly int _shift;
    private readonly bool _horizontalFlip;
    private readonly double _noise;
    private readonly double _mixup;
    private readonly long[] _sampleShape;
    private readonly ulong _seed;

    /// <summary>Creates an augmenter for samples of <paramref name="sampleShape"/>.</summary>
    /// <param name="settings">What to apply; must pass <see cref="Validate"/> for <paramref name="sampleShape"/>.</param>
    /// <param name="sampleShape">The shape of one sample, without the batch dimension.</param>
    /// <param name="seed">The run's seed.</param>
    /// <exception cref="ArgumentException">The settings do not pass <see cref="Validate"/>.</exception>
    public Augmenter(AugmentSettings settings, int[] sampleShape, int seed)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(sampleShape);
        if (Validate(settings, sampleShape).FirstOrDefault() is SettingsError error)
        {
            throw new ArgumentException($"'{error.Path}' {error.Message}", nameof(settings));
        }
        _shift = settings.Shift;
        _horizontalFlip = settings.HorizontalFlip;
        _noise = settings.Noise;
        _mixup = settings.Mixup;
        _sampleShape = sampleShape.Select(d => (long)d).ToArray();
        _seed = unchecked((ulong)seed);
    }

    /// <summary>True when every augmentation is off: <see cref="Apply"/> returns its input.</summary>
    public bool IsIdentity => _shift == 0 && !_horizontalFlip && _noise == 0 && _mixup == 0;

    /// <summary>True when mixup is on, so that <see cref="Apply"/> replaces the labels of mixed samples by <see cref="LabelledData.NoLabel"/>.</summary>
    public bool ChangesLabels => _mixup > 0;

    /// <summary>
    /// Checks <paramref name="settings"/> against the data's <paramref name="sampleShape"/>: their ranges,
    /// and that shift and flip have image samples [channels, height, width] to act on, with a shift smaller
    /// than the image. Paths are relative to the distill stage's settings (<c>augment.shift</c>).
    /// </summary>
    public static IEnumerable<SettingsError> Validate(AugmentSettings settings, int[] sampleShape)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(sampleShape);
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true);
        foreach (ValidationResult result in results)
        {
            string member = JsonNamingPolicy.CamelCase.ConvertName(result.MemberNames.FirstOrDefault() ?? "");
            yield return new SettingsError(Path(member), result.ErrorMessage ?? "is out of range");
        }
        if (results.Count > 0)
        {
            yield break;
        }

        string shape = $"[{string.Join(", ", sampleShape)}]";
        bool isImage = sampleShape.Length == 3;
        if (settings.Shift > 0 && !isImage)
        {
            yield return new SettingsError(Path("shift"), $"applies to image samples [channels, height, width]; these samples are {shape}");
        }
        else if (settings.Shift > 0 && settings.Shift >= Math.Min(sampleShape[1], sampleShape[2]))
        {
            yield return new SettingsError(Path("shift"),
                $"must be less than the image's height and width; these samples are {shape}, got {settings.Shift}");
        }
        if (settings.HorizontalFlip && !isImage)
        {
            yield return new SettingsError(Path("horizontalFlip"), $"applies to image samples [channels, height, width]; these samples are {shape}");
        }
    }

    /// <summary>
    /// Augments one batch. The result is new tensors, owned by the caller's dispose scope (if any);
    /// everything in between is disposed here.
    /// </summary>
    /// <param name="features">The batch, [batch, ...sample shape], floating point.</param>
    /// <param name="labels">Its labels, [batch], integers, <see cref="LabelledData.NoLabel"/> for none.</param>
    /// <param name="step">The optimisation step (a different number for every batch of the run).</param>
    public AugmentedBatch Apply(Tensor features, Tensor labels, long step)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        long batch = features.shape[0];
        if (!features.shape.AsSpan(1).SequenceEqual(_sampleShape) || labels.shape.Length != 1 || labels.shape[0] != batch)
        {
            throw new ArgumentException(
                $"expected features [batch, {string.Join(", ", _sampleShape)}] and labels [batch], got [{string.Join(", ", features.shape)}] and [{string.Join(", ", labels.shape)}]");
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor x = features.alias();
        Tensor y = labels.dtype == ScalarType.Int64 ? labels.alias() : labels.to_type(ScalarType.Int64);
        if (_horizontalFlip)
        {
            x = Flip(x, new AugmentRandom(AugmentRandom.Seed(_seed, step, FlipStream)));
        }
        if (_shift > 0)
        {
            x = Shift(x, _shift, new AugmentRandom(AugmentRandom.Seed(_seed, step, ShiftStream)));
        }
        if (_mixup > 0)
        {
            (x, y) = Mixup(x, y, _mixup, new AugmentRandom(AugmentRandom.Seed(_seed, step, MixupStream)));
        }
        if (_noise > 0)
        {
            using var generator = new Generator(AugmentRandom.Seed(_seed, step, NoiseStream));
            x = x.Plus(randn(x.shape, x.dtype, generator: generator).to(x.device).Times(_noise));
        }
        return new AugmentedBatch(x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope());
    }

    private static string Path(string member) => $"augment.{member}";

    /// <summary>Mirrors each sample along its width (the last axis) with probability 0.5.</summary>
    private static Tensor Flip(Tensor x, AugmentRandom random)
    {
        bool[] flips = Enumerable.Range(0, (int)x.shape[0]).Select(_ => random.NextBool()).ToArray();
        Tensor mask = tensor(flips).to(x.device).view(-1, 1, 1, 1);
        return where(mask, x.flip(3), x);
    }

    /// <summary>
    /// Translates each sample by dy, dx uniform in [-shift, shift], filling with zeros: pads by shift on
    /// every side and crops the original size at a random offset (two gathers, no loop over the batch).
    /// </summary>
    private static Tensor Shift(Tensor x, int shift, AugmentRandom random)
    {
        long batch = x.shape[0], channels = x.shape[1], height = x.shape[2], width = x.shape[3];
        long[] rowOffsets = new long[batch];
        long[] columnOffsets = new long[batch];
        for (int i = 0; i < batch; i++)
        {
            rowOffsets[i] = random.NextInt((2 * shift) + 1);
            columnOffsets[i] = random.NextInt((2 * shift) + 1);
        }
        Tensor padded = nn.functional.pad(x, [shift, shift, shift, shift]);
        // Scalars held in `using`: TorchSharp may free an implicitly converted one mid-call (see ScalarArithmetic).
        using Scalar heightScalar = height.ToScalar();
        using Scalar widthScalar = width.ToScalar();
        Tensor rows = arange(heightScalar, device: x.device).unsqueeze(0).Plus(tensor(rowOffsets).to(x.device).unsqueeze(1))
            .view(batch, 1, height, 1).expand(batch, channels, height, width + (2 * shift));
        Tensor columns = arange(widthScalar, device: x.device).unsqueeze(0).Plus(tensor(columnOffsets).to(x.device).unsqueeze(1))
            .view(batch, 1, 1, width).expand(batch, channels, height, width);
        return padded.gather(2, rows).gather(3, columns);
    }

    /// <summary>Mixes sample i with sample perm(i) by lambda_i ~ Beta(a, a); a sample mixed with another loses its label.</summary>
    private static (Tensor Features, Tensor Labels) Mixup(Tensor x, Tensor labels, double a, AugmentRandom random)
    {
        int batch = (int)x.shape[0];
        int[] partners = random.NextPermutation(batch);
        float[] lambdas = Enumerable.Range(0, batch).Select(_ => (float)random.NextSymmetricBeta(a)).ToArray();
        bool[] mixed = partners.Select((partner, i) => partner != i).ToArray();

        long[] weightShape = [batch, .. Enumerable.Repeat(1L, (int)x.dim() - 1)];
        Tensor weights = tensor(lambdas).to(x.dtype).to(x.device).view(weightShape);
        Tensor others = x.index_select(0, tensor(partners.Select(p => (long)p).ToArray()).to(x.device));
        Tensor features = (weights * x).Plus(weights.SubtractedFrom(1) * others);
        using Scalar noLabel = ((long)LabelledData.NoLabel).ToScalar();
        Tensor newLabels = labels.masked_fill(tensor(mixed).to(labels.device), noLabel);
        return (features, newLabels);
    }
}
