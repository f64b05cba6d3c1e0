using Compression.Abstractions.Distillation;
using Compression.Abstractions.Stages;
using static TorchSharp.torch;

namespace Compression.Plugins.Distillation.Features;

/// <summary>
/// Attention transfer, Zagoruyko and Komodakis 2017, "Paying More Attention to Attention": the spatial
/// attention map of a [C, H, W] activation is the mean over channels of its squares (p = 2), flattened and
/// L2-normalised per sample; the term is the mean squared difference of the student's and the teacher's
/// maps, summed over taps (RepDistiller's form), times <c>beta</c> (<c>methodParameters</c>, default 1000,
/// the paper's), beside KD's soft and hard terms. Channels may differ; heights and widths must match.
/// No adapters.
/// </summary>
public sealed class AttentionTransferMethod : IDistillationMethod
{
    /// <summary>Key of the attention weight in <c>methodParameters</c>.</summary>
    public const string AttentionWeightKey = "beta";

    private static readonly Dictionary<string, double> s_defaults = new() { [AttentionWeightKey] = 1000.0 };

    public string Name => "attention";

    public string Description => "Zagoruyko & Komodakis 2017: spatial attention maps (p = 2) of [C, H, W] taps matched (weight methodParameters.beta, 1000), with KD's soft and hard terms";

    public IReadOnlyList<SettingsError> Validate(DistillationOptions options) => MethodParameters.Validate(Name, options, s_defaults);

    public void Setup(DistillationSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        foreach (TapShape tap in setup.Taps)
        {
            if (tap.Student.Count != 3 || tap.Teacher.Count != 3 || tap.Student[1] != tap.Teacher[1] || tap.Student[2] != tap.Teacher[2])
            {
                throw new StageException(
                    $"attention maps compare [C, H, W] features of the same height and width; the student's \"{tap.Tap.Student}\" is [{string.Join(", ", tap.Student)}] and the teacher's \"{tap.Tap.Teacher}\" [{string.Join(", ", tap.Teacher)}]",
                    $"taps[{tap.Index}]");
            }
        }
    }

    public Tensor Loss(DistillationBatch batch, DistillationOptions options) => LossTerm.Total(LossTerms(batch, options));

    public IReadOnlyList<LossTerm> LossTerms(DistillationBatch batch, DistillationOptions options)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(options);
        Tensor? attention = null;
        foreach (TappedFeatures tap in batch.Features)
        {
            Tensor difference = Map(tap.Student) - Map(tap.Teacher);
            Tensor term = difference.square().mean();
            attention = attention is null ? term : attention.Plus(term);
        }
        if (attention is null)
        {
            throw new InvalidOperationException("attention needs at least one tap");
        }
        double beta = MethodParameters.Get(options, s_defaults, AttentionWeightKey);
        return [.. KdTerms.Of(batch, options), new LossTerm("attention", attention.Times(beta))];
    }

    /// <summary>The attention map of [batch, C, H, W] activations: mean over C of the squares, [batch, H*W], L2-normalised per sample.</summary>
    public static Tensor Map(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        Tensor energy = features.square().mean([1]).flatten(1);
        return nn.functional.normalize(energy, p: 2, dim: 1);
    }
}
