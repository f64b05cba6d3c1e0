using static TorchSharp.torch;

namespace Compression.Models;

/// <summary>
/// Collects the outputs of named layers during one forward pass (a distillation method's feature taps).
/// The tensors are the ones the forward pass computes, so they carry gradients to the model.
/// </summary>
internal sealed class FeatureRecorder(IReadOnlyCollection<string> wanted)
{
    private readonly HashSet<string> _wanted = new(wanted, StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor> _features = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, Tensor> Features => _features;

    /// <summary>Keeps <paramref name="output"/> when <paramref name="layerName"/> is one of the wanted names.</summary>
    public void Offer(string? layerName, Tensor output)
    {
        if (layerName is not null && _wanted.Contains(layerName))
        {
            _features[layerName] = output;
        }
    }
}
