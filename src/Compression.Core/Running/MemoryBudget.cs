using System.Globalization;
using Compression.Abstractions.Stages;
using Compression.Models.Spec;
using Compression.Models;

namespace Compression.Core.Running;

/// <summary>
/// The run's memory budget for one model: the config's <c>maxModelMemoryMb</c>, or 80% of the memory
/// .NET sees as available (which honours a container's limit), so a spec or teacher that cannot fit
/// is refused with a message before it is allocated.
/// </summary>
public sealed class MemoryBudget(long bytes, string source) : IMemoryBudget
{
    private const double DefaultShare = 0.8;

    public long Bytes { get; } = bytes;

    public string Source { get; } = source;

    /// <summary>The budget for <paramref name="maxModelMemoryMb"/>, or the default share of available memory.</summary>
    public static MemoryBudget For(double? maxModelMemoryMb)
    {
        if (maxModelMemoryMb is double megabytes)
        {
            return new MemoryBudget((long)(megabytes * 1024 * 1024), string.Create(CultureInfo.InvariantCulture, $"maxModelMemoryMb {megabytes:0.##}"));
        }
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return new MemoryBudget((long)(available * DefaultShare), string.Create(CultureInfo.InvariantCulture,
            $"{DefaultShare * 100:0}% of the {MemoryEstimate.Format(available)} available; raise it with maxModelMemoryMb"));
    }
}
