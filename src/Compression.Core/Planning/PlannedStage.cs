using Compression.Abstractions.Stages;

namespace Compression.Core.Planning;

/// <summary>A stage resolved to its plugin, with bound and validated settings.</summary>
/// <param name="Index">Position in <c>stages</c>.</param>
/// <param name="Id">The stage name, or <c>name#index</c> when the name repeats.</param>
/// <param name="Stage">The plugin's stage.</param>
/// <param name="Settings">Bound settings object of <see cref="IStage.SettingsType"/>.</param>
/// <param name="SettingsJson">Canonical JSON of the bound settings (defaults included), for the cache key.</param>
public sealed record PlannedStage(int Index, string Id, IStage Stage, object Settings, string SettingsJson)
{
    /// <summary>The config path of this stage, e.g. <c>stages[2]</c>.</summary>
    public string ConfigPath => $"stages[{Index}]";
}
