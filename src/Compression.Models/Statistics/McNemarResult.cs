namespace Compression.Models.Statistics;

/// <summary>The outcome of <see cref="McNemarExact"/>.</summary>
/// <param name="OnlyCurrent">Test samples only the new model got right.</param>
/// <param name="OnlyBaseline">Test samples only the baseline got right.</param>
/// <param name="Samples">All test samples compared.</param>
/// <param name="PValue">Two-sided exact p-value of "both models are equally accurate" (1 when no sample is discordant).</param>
/// <param name="Difference">Current minus baseline accuracy, as a fraction (0.01 = one point), with its exact conditional interval.</param>
public sealed record McNemarResult(int OnlyCurrent, int OnlyBaseline, int Samples, double PValue, GainInterval Difference);
