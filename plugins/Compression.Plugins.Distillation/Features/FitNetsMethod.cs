using Compression.Abstractions.Distillation;
using Compression.Abstractions.Stages;
using static TorchSharp.torch;

namespace Compression.Plugins.Distillation.Features;

/// <summary>
/// FitNets hints, Romero et al. 2015, "FitNets: Hints for Thin Deep Nets": per tap, a trainable regressor
/// (a bias-free 1x1 convolution, or a linear map for vector features) takes the student's feature to the
/// teacher's channels, and the hint term is the mean squared error to the teacher's feature. Trained
/// together with the KD terms (as RepDistiller and mdistiller combine them), in one stage rather than the
/// paper's two:
/// <c>loss = (1 - alpha) CE + alpha T^2 KL + beta * mean over taps of MSE(regressor(student), teacher)</c>,
/// <c>beta</c> from <c>methodParameters</c> (default 1). The regressors are adapters: trained, saved
/// beside the student, never exported.
/// </summary>
public sealed class FitNetsMethod : IDistillationMethod
{
    /// <summary>Key of the hint weight in <c>methodParameters</c>.</summary>
    public const string HintWeightKey = "beta";

    private static readonly Dictionary<string, double> s_defaults = new() { [HintWeightKey] = 1.0 };

    public string Name => "fitnets";

    public string Description => "Romero et al. 2015 (FitNets): per tap, a 1x1 regressor from student to teacher channels and an MSE hint (weight methodParameters.beta, 1), with KD's soft and hard terms";

    public IReadOnlyList<SettingsError> Validate(DistillationOptions options) => MethodParameters.Validate(Name, options, s_defaults);

    public void Setup(DistillationSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        foreach (TapShape tap in setup.Taps)
        {
            setup.Adapters.ChannelMap($"hint{tap.Index}", tap);
        }
    }

    public Tensor Loss(DistillationBatch batch, DistillationOptions options) => LossTerm.Total(LossTerms(batch, options));

    public IReadOnlyList<LossTerm> LossTerms(DistillationBatch batch, DistillationOptions options)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(options);
        Tensor? hint = null;
        for (int i = 0; i < batch.Features.Count; i++)
        {
            TappedFeatures tap = batch.Features[i];
            Tensor mse = nn.functional.mse_loss(batch.Adapter($"hint{i}").forward(tap.Student), tap.Teacher);
            hint = hint is null ? mse : hint.Plus(mse);
        }
        if (hint is null)
        {
            throw new InvalidOperationException("fitnets needs at least one tap");
        }
        double beta = MethodParameters.Get(options, s_defaults, HintWeightKey);
        return [.. KdTerms.Of(batch, options), new LossTerm("hint", hint.DividedBy(batch.Features.Count).Times(beta))];
    }
}
