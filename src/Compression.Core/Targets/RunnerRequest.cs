using System.Globalization;
using Compression.Core.Config;

namespace Compression.Core.Targets;

/// <summary>
/// What to measure on a target, as the runner protocol's arguments: <c>bench --model NAME=PATH ...
/// --batch N ... --warmup N --iterations N --threads N --provider P --optimization L --seed N [--no-memory]</c>.
/// A <c>command</c> target receives the same arguments after its own.
/// </summary>
/// <param name="Models">The models by name (teacher first, then student) and their paths where the runner runs.</param>
/// <param name="Target">The target's profile.</param>
/// <param name="Seed">The input noise's seed.</param>
/// <param name="MeasureMemory">False under emulation, where the emulator's memory would be counted.</param>
public sealed record RunnerRequest(IReadOnlyList<(string Name, string Path)> Models, TargetConfig Target, int Seed, bool MeasureMemory)
{
    public IReadOnlyList<string> Arguments()
    {
        var arguments = new List<string> { "bench" };
        foreach (var (name, path) in Models)
        {
            arguments.Add("--model");
            arguments.Add($"{name}={path}");
        }
        foreach (int batch in Target.BatchSizes.Distinct())
        {
            arguments.Add("--batch");
            arguments.Add(batch.ToString(CultureInfo.InvariantCulture));
        }
        arguments.AddRange([
            "--warmup", Target.Warmup.ToString(CultureInfo.InvariantCulture),
            "--iterations", Target.Iterations.ToString(CultureInfo.InvariantCulture),
            "--threads", Target.IntraOpThreads.ToString(CultureInfo.InvariantCulture),
            "--provider", Target.ExecutionProvider,
            "--optimization", Target.GraphOptimization,
            "--seed", Seed.ToString(CultureInfo.InvariantCulture),
        ]);
        if (!MeasureMemory)
        {
            arguments.Add("--no-memory");
        }
        return arguments;
    }
}
