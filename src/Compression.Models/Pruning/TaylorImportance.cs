using Compression.Abstractions.Distillation;
using static TorchSharp.torch;

namespace Compression.Models.Pruning;

/// <summary>
/// First-order Taylor importance (Molchanov et al. 2019, "Importance Estimation for Neural Network
/// Pruning"): removing a channel changes the loss by about the sum of w * dL/dw over its weights, so
/// its importance is that sum squared, accumulated over mini-batches. Call <see cref="Accumulate"/>
/// after each backward pass (gradients of one batch), then read <see cref="Scores"/>.
/// </summary>
public sealed class TaylorImportance(SequentialModel model, ChannelGraph graph)
{
    private readonly Dictionary<int, double[]> _scores = graph.Groups.Where(g => g.Prunable).ToDictionary(g => g.Id, g => new double[g.Channels]);

    /// <summary>Batches accumulated so far.</summary>
    public int Batches { get; private set; }

    /// <summary>Adds the current gradients' estimate of every channel's loss change.</summary>
    public void Accumulate()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (ChannelGroup group in graph.Groups.Where(g => g.Prunable))
        {
            Tensor? sum = null;
            foreach (ChannelMember member in group.Members)
            {
                var (module, dim) = ModuleLookup.Of(model, member);
                foreach (var (name, parameter) in module.named_parameters())
                {
                    // A bias belongs to the channel of its layer's output only, never to an input side.
                    if (parameter.grad is not Tensor grad || (name != "weight" && dim != 0))
                    {
                        continue;
                    }
                    Tensor product = ChannelImportance.PerChannel(parameter.mul(grad), dim, group.Channels).sum(1);
                    sum = sum is null ? product : sum.Plus(product);
                }
            }
            if (sum is not null)
            {
                ChannelImportance.Add(_scores[group.Id], sum.square());
            }
        }
        Batches++;
    }

    /// <summary>The accumulated importance per group id.</summary>
    public IReadOnlyDictionary<int, double[]> Scores => _scores;
}
