using static TorchSharp.torch;

namespace Compression.Models.Pruning;

/// <summary>Finds the module of a spec layer (or a residual block's projection) in a built model.</summary>
internal static class ModuleLookup
{
    public static nn.Module<Tensor, Tensor> At(SequentialModel model, LayerPath path, bool projection = false)
    {
        nn.Module<Tensor, Tensor> module = model.Layers[path.Indices[0]];
        for (int i = 1; i < path.Indices.Count; i++)
        {
            module = ((ResidualBlock)module).Body[path.Indices[i]];
        }
        return projection ? ((ResidualBlock)module).Projection! : module;
    }

    /// <summary>The module and the tensor dimension a member's slice runs along ("weight" unless said otherwise).</summary>
    public static (nn.Module<Tensor, Tensor> Module, int Dim) Of(SequentialModel model, ChannelMember member) => member.Role switch
    {
        MemberRole.Input => (At(model, member.Layer), 1),
        MemberRole.ProjectionOutput => (At(model, member.Layer, projection: true), 0),
        MemberRole.ProjectionInput => (At(model, member.Layer, projection: true), 1),
        _ => (At(model, member.Layer), 0),
    };
}
