namespace Compression.Abstractions.Distillation;

/// <summary>Options the distill stage passes to a method when it creates the loss.</summary>
/// <param name="Temperature">Softening temperature T &gt; 0 for soft targets.</param>
/// <param name="Alpha">Weight of the soft (teacher) term in [0, 1]; the hard-label term gets 1 - alpha.</param>
/// <param name="Parameters">Method-specific numbers from the stage's <c>methodParameters</c> object.</param>
public sealed record DistillationOptions(double Temperature, double Alpha, IReadOnlyDictionary<string, double> Parameters)
{
    /// <summary>The stage's <c>taps</c>: where features are read, in order (empty when none are configured).</summary>
    public IReadOnlyList<FeatureTap> Taps { get; init; } = [];
}
