namespace Compression.Abstractions.Stages;

/// <summary>
/// The most memory a stage may plan to use to build and train one model, from the config's
/// <c>maxModelMemoryMb</c> or a share of the memory the machine (or its container) has. A stage
/// that builds a model from a spec checks its estimate against it before allocating anything, so a
/// spec that cannot fit fails at once with a message instead of being killed by the kernel.
/// </summary>
public interface IMemoryBudget
{
    /// <summary>The limit in bytes.</summary>
    long Bytes { get; }

    /// <summary>Where the limit comes from, for messages: e.g. "maxModelMemoryMb" or "80% of the 24.0 GiB available".</summary>
    string Source { get; }
}
