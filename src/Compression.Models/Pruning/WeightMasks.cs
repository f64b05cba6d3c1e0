using System.Globalization;
using Compression.Models.Spec;
using static TorchSharp.torch;

namespace Compression.Models.Pruning;

/// <summary>
/// Unstructured magnitude pruning: the smallest weights of every conv and linear layer (and residual
/// projection) set to zero, ranked over all layers together (global) or within each layer. Biases
/// and batchnorm parameters stay. <see cref="Apply"/> zeroes them again after an optimiser step moved
/// them, which is how the masks are held during fine-tuning.
/// </summary>
public sealed class WeightMasks : IDisposable
{
    private readonly List<(string Layer, Tensor Weight, Tensor Mask)> _masks;

    private WeightMasks(List<(string Layer, Tensor Weight, Tensor Mask)> masks) => _masks = masks;

    /// <summary>Masks pruning <paramref name="sparsity"/> of <paramref name="model"/>'s weights; layers named in <paramref name="excluded"/> keep theirs.</summary>
    public static WeightMasks Compute(SequentialModel model, double sparsity, bool global, IReadOnlyCollection<string> excluded)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegative(sparsity);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(sparsity, 1.0);
        var weights = Weights(model.Layers, model.Spec.Layers, LayerPath.Top, model.Spec, excluded).ToList();
        var masks = new List<(string, Tensor, Tensor)>();
        using (no_grad())
        {
            if (global)
            {
                using var scope = NewDisposeScope();
                Tensor all = cat(weights.Select(w => w.Weight.abs().flatten()).ToArray());
                Tensor threshold = Threshold(all, sparsity);
                foreach (var (layer, weight) in weights)
                {
                    masks.Add((layer, weight, Mask(weight, threshold).MoveToOuterDisposeScope()));
                }
            }
            else
            {
                foreach (var (layer, weight) in weights)
                {
                    using var scope = NewDisposeScope();
                    Tensor threshold = Threshold(weight.abs().flatten(), sparsity);
                    masks.Add((layer, weight, Mask(weight, threshold).MoveToOuterDisposeScope()));
                }
            }
        }
        return new WeightMasks(masks);
    }

    /// <summary>Zeroes the masked weights in place.</summary>
    public void Apply()
    {
        using var noGrad = no_grad();
        foreach (var (_, weight, mask) in _masks)
        {
            weight.mul_(mask);
        }
    }

    /// <summary>Per masked layer: its name (or path), weights, and how many are zero now.</summary>
    public IReadOnlyList<(string Layer, long Weights, long Zeros)> Sparsities()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return _masks.Select(m => (m.Layer, m.Weight.numel(), m.Weight.eq(0).sum().item<long>())).ToList();
    }

    /// <summary>Zero weights over all masked weights.</summary>
    public double Sparsity
    {
        get
        {
            var layers = Sparsities();
            return (double)layers.Sum(l => l.Zeros) / Math.Max(1, layers.Sum(l => l.Weights));
        }
    }

    public void Dispose()
    {
        foreach (var (_, _, mask) in _masks)
        {
            mask.Dispose();
        }
    }

    /// <summary>The magnitude at or below which <paramref name="sparsity"/> of <paramref name="magnitudes"/> lie (the k-th smallest).</summary>
    private static Tensor Threshold(Tensor magnitudes, double sparsity)
    {
        long k = (long)Math.Round(sparsity * magnitudes.numel(), MidpointRounding.AwayFromZero);
        return k == 0 ? tensor(-1f) : magnitudes.kthvalue(k, 0).values;
    }

    /// <summary>1 where a weight stays. Ties at the threshold go, so exact zeros count as pruned.</summary>
    private static Tensor Mask(Tensor weight, Tensor threshold) => weight.abs().gt(threshold).to_type(weight.dtype);

    private static IEnumerable<(string Layer, Tensor Weight)> Weights(
        IReadOnlyList<nn.Module<Tensor, Tensor>> modules, IReadOnlyList<LayerSpec> layers, Func<int, LayerPath> pathOf, ModelSpec spec, IReadOnlyCollection<string> excluded)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            LayerSpec layer = layers[i];
            string name = layer.Name ?? pathOf(i).ToString();
            if (layer.Name is not null && excluded.Contains(layer.Name))
            {
                continue;
            }
            if (modules[i] is ResidualBlock block)
            {
                foreach (var inner in Weights(block.Body, layer.Body, pathOf(i).Child, spec, excluded))
                {
                    yield return inner;
                }
                if (block.Projection is not null)
                {
                    yield return (string.Create(CultureInfo.InvariantCulture, $"{name} projection"), block.Projection.state_dict()["weight"]);
                }
            }
            else if (layer.Type.HasMaskableWeight)
            {
                yield return (name, modules[i].state_dict()["weight"]);
            }
        }
    }
}
