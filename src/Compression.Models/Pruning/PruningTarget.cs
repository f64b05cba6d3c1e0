using Compression.Models.Spec;

namespace Compression.Models.Pruning;

/// <summary>What a pruning step aims at, relative to a reference model (the unpruned one).</summary>
/// <param name="Measure">"flops" or "params": what <paramref name="Ratio"/> limits.</param>
/// <param name="Ratio">The pruned model's share of the reference's cost, in (0, 1]; null: only <paramref name="GroupKeep"/> applies.</param>
/// <param name="ReferenceCost">The reference model's cost in that measure.</param>
/// <param name="GroupKeep">Channels to keep in particular groups (by group id), which the ratio leaves alone.</param>
public sealed record PruningTarget(string Measure, double? Ratio, long ReferenceCost, IReadOnlyDictionary<int, int> GroupKeep)
{
    /// <summary>
    /// Channel counts the ratio may leave: multiples of this (a group of this many channels or fewer is
    /// left whole). Runtimes block channels for their vector width (ONNX Runtime's NCHWc layout: 8 with
    /// AVX2, 16 with AVX-512) and fall back to a slower convolution for counts that do not fit.
    /// </summary>
    public int RoundTo { get; init; } = 1;

    /// <summary>The cost of <paramref name="spec"/> in this target's measure.</summary>
    public long CostOf(ModelSpec spec) => Measure == "params" ? SpecCost.Parameters(spec) : SpecCost.Flops(spec);
}
