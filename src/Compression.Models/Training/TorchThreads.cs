using TorchSharp;

namespace Compression.Models.Training;

/// <summary>TorchSharp's intra-op thread pool (libtorch's OpenMP threads); the host sets it before any stage runs.</summary>
public static class TorchThreads
{
    /// <summary>
    /// Sets libtorch's intra-op threads (loads libtorch if it is not loaded yet) and, once, moves convolutions
    /// off oneDNN (<see cref="OneDnnConvolutions"/>): so do stages that compute gradients outside the trainer.
    /// </summary>
    public static void Use(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        OneDnnConvolutions.DisableUnlessIsaChosen();
        if (torch.get_num_threads() != count)
        {
            torch.set_num_threads(count);
        }
    }
}
