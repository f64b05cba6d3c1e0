using TorchSharp;

namespace Compression.Models.Training;

/// <summary>TorchSharp's intra-op thread pool (libtorch's OpenMP threads).</summary>
public static class TorchThreads
{
    /// <summary>Sets libtorch's intra-op threads (loads libtorch if it is not loaded yet).</summary>
    public static void Use(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (torch.get_num_threads() != count)
        {
            torch.set_num_threads(count);
        }
    }
}
