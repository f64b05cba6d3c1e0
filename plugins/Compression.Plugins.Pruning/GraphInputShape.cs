using Compression.Onnx.Proto;
using static TorchSharp.torch;

namespace Compression.Plugins.Pruning;

/// <summary>
/// An imported graph fed the data's samples: the trainer batches them as [batch, ...sample shape], the
/// graph may declare another layout of the same values (e.g. [batch, 1, 28, 28] for 784 features), so
/// each batch is reshaped to the graph input's fixed dimensions first.
/// </summary>
internal sealed class GraphInputShape : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> _graph;
    private readonly long[]? _sample;

    public GraphInputShape(nn.Module<Tensor, Tensor> graph, ValueInfoProto input)
        : base("graph_input_shape")
    {
        _graph = graph;
        var dims = input.Type?.TensorType?.Shape?.Dim;
        _sample = dims is { Count: > 1 } && dims.Skip(1).All(d => d.HasDimValue) ? [.. dims.Skip(1).Select(d => d.DimValue)] : null;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) =>
        _sample is null ? _graph.forward(input) : _graph.forward(input.reshape([input.shape[0], .. _sample]));
}
