namespace Compression.Abstractions.Distillation;

/// <summary>What a method gets once per training run, before the first batch (see <see cref="IDistillationMethod.Setup"/>).</summary>
/// <param name="Options">The options the run's batches will be given.</param>
/// <param name="Taps">The configured taps with their feature shapes, in the order of <c>taps</c>.</param>
/// <param name="Adapters">Creates the run's trainable adapters.</param>
public sealed record DistillationSetup(DistillationOptions Options, IReadOnlyList<TapShape> Taps, IAdapterFactory Adapters);
