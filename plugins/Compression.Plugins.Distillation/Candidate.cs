using System.Globalization;
using Compression.Abstractions.Distillation;

namespace Compression.Plugins.Distillation;

/// <summary>A way to train the student: a distillation method with its options, or (no method) without the teacher.</summary>
internal sealed record Candidate(IDistillationMethod? Method, DistillationOptions? Options)
{
    /// <summary>Training without the teacher: cross entropy on the labelled samples only.</summary>
    public static Candidate Scratch { get; } = new(null, null);

    public bool IsScratch => Method is null;

    public string Label => Method is null
        ? "scratch"
        : string.Create(CultureInfo.InvariantCulture, $"{Method.Name} T={Options!.Temperature} alpha={Options.Alpha}");
}
