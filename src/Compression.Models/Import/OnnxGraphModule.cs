using Compression.Models.Import.Ops;
using Compression.Onnx;
using Compression.Onnx.Proto;
using TorchSharp.Modules;
using static TorchSharp.torch;
using DataType = Compression.Onnx.Proto.TensorProto.Types.DataType;

namespace Compression.Models.Import;

/// <summary>
/// An ONNX graph as a trainable TorchSharp module: runs the graph's nodes in topological order with
/// TorchSharp ops, so gradients flow to its weights. Every float initializer that a Conv, Gemm,
/// MatMul, BatchNormalization (scale, bias), LayerNormalization (scale, bias), Add or Mul reads as an
/// operand becomes a trainable <see cref="Parameter"/>, registered under its sanitised initializer
/// name (<see cref="ParameterNames"/>); every other initializer (integers, shapes, BatchNormalization's
/// running statistics) is a constant buffer. <see cref="OnnxGraphExporter"/> writes the graph back
/// with the current parameter values.
/// <para>Supported ops (default domain), checked when the graph is imported; any other op, or an
/// unsupported variant, throws <see cref="UnsupportedOnnxOperatorException"/> naming the op and node:</para>
/// <list type="table">
/// <item><term>Conv</term><description>1-3 spatial axes, group, pads (asymmetric too), strides, dilations, auto_pad NOTSET/VALID/SAME_UPPER/SAME_LOWER</description></item>
/// <item><term>MaxPool, AveragePool</term><description>pads, strides, ceil_mode, auto_pad; MaxPool dilations (no Indices output); AveragePool count_include_pad</description></item>
/// <item><term>GlobalAveragePool</term><description></description></item>
/// <item><term>BatchNormalization</term><description>running statistics always (also while training: scale and bias learn, statistics stay frozen)</description></item>
/// <item><term>LayerNormalization</term><description>axis, epsilon, optional Mean and InvStdDev outputs</description></item>
/// <item><term>Gemm, MatMul</term><description>alpha, beta, transA, transB; MatMul with numpy batching</description></item>
/// <item><term>Add, Sub, Mul, Div, Pow</term><description>numpy broadcasting; integer Div truncates</description></item>
/// <item><term>Relu, Sigmoid, Tanh, Erf, Sqrt, HardSigmoid, HardSwish, Gelu</term><description>Gelu approximate none or tanh</description></item>
/// <item><term>Clip</term><description>bounds as attributes (opset &lt; 11) or optional inputs</description></item>
/// <item><term>Softmax</term><description>opset &lt; 13 over the flattened trailing axes, from 13 over one axis</description></item>
/// <item><term>Flatten, Reshape, Transpose, Concat</term><description>Reshape with 0 (allowzero) and -1; negative axes</description></item>
/// <item><term>Unsqueeze, Squeeze</term><description>axes as attribute (opset &lt; 13) or input</description></item>
/// <item><term>Slice, Gather</term><description>Slice in both forms (attributes before opset 10, inputs from it), negative steps; negative indices</description></item>
/// <item><term>ReduceMean</term><description>axes as attribute (opset &lt; 18) or input, keepdims, noop_with_empty_axes</description></item>
/// <item><term>Constant, Shape, Cast, Identity</term><description>Cast to float, double, int8/16/32/64, uint8, bool; Shape start/end</description></item>
/// <item><term>Dropout</term><description>identity in eval mode; drops with its ratio while the module is training</description></item>
/// </list>
/// </summary>
public sealed class OnnxGraphModule : nn.Module<Tensor, Tensor>
{
    private readonly NodeProto[] _order;
    private readonly OnnxOperator[] _operators;
    private readonly Dictionary<string, string> _parameterNames;
    private readonly Dictionary<string, string> _bufferNames;

    /// <summary>Imports <paramref name="model"/>; the module keeps it (do not change it afterwards) to export from.</summary>
    /// <exception cref="UnsupportedOnnxOperatorException">A node's op, or a variant of it, is not supported.</exception>
    /// <exception cref="OnnxImportException">The graph is malformed (dangling or doubly produced tensors, a cycle) or holds tensors the importer cannot read.</exception>
    public OnnxGraphModule(ModelProto model, string name = "onnx_graph")
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(model);
        Source = model;
        GraphProto graph = model.Graph ?? throw new OnnxImportException("the model has no graph");
        Opset = model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();
        if (Opset <= 0)
        {
            throw new OnnxImportException("the model imports no opset of the default ONNX domain");
        }
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        InputNames = [.. graph.Input.Select(i => i.Name).Where(n => !initializers.ContainsKey(n))];
        OutputNames = [.. graph.Output.Select(o => o.Name)];
        OnnxOperator[] operators = [.. graph.Node.Select(Operator)];
        var available = new HashSet<string>(InputNames.Concat(initializers.Keys), StringComparer.Ordinal);
        int[] order = GraphOrder.Sort(graph, available);
        _order = [.. order.Select(i => graph.Node[i])];
        _operators = [.. order.Select(i => operators[i])];

        HashSet<string> weights = Weights(initializers);
        Dictionary<string, string> names = InitializerNames.Assign(initializers.Keys);
        _parameterNames = new(StringComparer.Ordinal);
        _bufferNames = new(StringComparer.Ordinal);
        foreach ((string initializer, TensorProto proto) in initializers)
        {
            Tensor value = OnnxTensors.ToTensor(proto).DetachFromDisposeScope();
            if (weights.Contains(initializer))
            {
                var parameter = new Parameter(value, requires_grad: true);
                parameter.DetachFromDisposeScope();
                register_parameter(names[initializer], parameter);
                _parameterNames[initializer] = names[initializer];
            }
            else
            {
                register_buffer(names[initializer], value);
                _bufferNames[initializer] = names[initializer];
            }
        }
    }

    /// <summary>The model this module was imported from.</summary>
    public ModelProto Source { get; }

    /// <summary>The default-domain opset the graph declares; ops follow that version's semantics.</summary>
    public long Opset { get; }

    /// <summary>The graph inputs a caller feeds (those that are not initializers), in graph order.</summary>
    public IReadOnlyList<string> InputNames { get; }

    /// <summary>The graph outputs, in graph order.</summary>
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>Initializer name to registered parameter name, for the initializers that are trainable.</summary>
    public IReadOnlyDictionary<string, string> ParameterNames => _parameterNames;

    /// <summary>Loads and imports an ONNX file.</summary>
    /// <exception cref="OnnxFormatException">The file is not a readable ONNX model.</exception>
    /// <exception cref="OnnxImportException">See the constructor; the message starts with the file's path.</exception>
    public static OnnxGraphModule Load(string path)
    {
        ModelProto model = OnnxModelFile.Read(path);
        try
        {
            return new OnnxGraphModule(model, Path.GetFileNameWithoutExtension(path));
        }
        catch (UnsupportedOnnxOperatorException)
        {
            throw;
        }
        catch (OnnxImportException ex)
        {
            throw new OnnxImportException($"{path}: {ex.Message}", ex);
        }
    }

    /// <summary>The current value of the initializer named <paramref name="initializer"/>: its parameter or its constant.</summary>
    public Tensor Initializer(string initializer) =>
        _parameterNames.TryGetValue(initializer, out string? parameter) ? get_parameter(parameter)!
        : _bufferNames.TryGetValue(initializer, out string? buffer) ? get_buffer(buffer)!
        : throw new KeyNotFoundException($"the graph has no initializer '{initializer}'");

    /// <summary>Runs a graph with one input and one output.</summary>
    /// <exception cref="InvalidOperationException">The graph has several inputs or outputs: use <see cref="Forward(IReadOnlyDictionary{string, Tensor})"/>.</exception>
    public override Tensor forward(Tensor input)
    {
        if (InputNames.Count != 1 || OutputNames.Count != 1)
        {
            throw new InvalidOperationException(
                $"the graph has inputs [{string.Join(", ", InputNames)}] and outputs [{string.Join(", ", OutputNames)}]; forward(Tensor) needs exactly one of each, use Forward(inputs)");
        }
        return Forward(new Dictionary<string, Tensor>(StringComparer.Ordinal) { [InputNames[0]] = input })[OutputNames[0]];
    }

    /// <summary>Runs the graph on named inputs (every one of <see cref="InputNames"/>); returns every graph output by name.</summary>
    /// <exception cref="ArgumentException">An input is missing, or a name is not a graph input.</exception>
    public IReadOnlyDictionary<string, Tensor> Forward(IReadOnlyDictionary<string, Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        foreach (string name in inputs.Keys.Where(n => !InputNames.Contains(n) && !Source.Graph.Input.Any(i => i.Name == n)))
        {
            throw new ArgumentException($"'{name}' is not an input of the graph; its inputs are [{string.Join(", ", InputNames)}]", nameof(inputs));
        }
        using TorchSharp.DisposeScope scope = NewDisposeScope();
        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (string initializer in _parameterNames.Keys.Concat(_bufferNames.Keys))
        {
            values[initializer] = Initializer(initializer);
        }
        foreach ((string name, Tensor value) in inputs)
        {
            values[name] = value;
        }
        foreach (string name in InputNames.Where(n => !inputs.ContainsKey(n)))
        {
            throw new ArgumentException($"graph input '{name}' is missing", nameof(inputs));
        }
        var produced = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < _order.Length; i++)
        {
            Run(_order[i], _operators[i], values, produced);
        }
        var outputs = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (string name in OutputNames)
        {
            Tensor value = produced.Contains(name) ? values[name] : values[name].alias();
            outputs[name] = value.MoveToOuterDisposeScope();
        }
        return outputs;
    }

    private void Run(NodeProto node, OnnxOperator op, Dictionary<string, Tensor> values, HashSet<string> produced)
    {
        Tensor?[] arguments = [.. node.Input.Select(n => n.Length == 0 ? null : values[n])];
        Tensor?[] results = op.Run(new OnnxNodeContext(node, arguments, Opset, training));
        for (int j = 0; j < node.Output.Count; j++)
        {
            string name = node.Output[j];
            if (name.Length == 0)
            {
                continue;
            }
            Tensor result = (j < results.Length ? results[j] : null)
                ?? throw new UnsupportedOnnxOperatorException(node.OpType, node.Name, $"output {j} ('{name}')");
            values[name] = arguments.Any(a => ReferenceEquals(a, result)) ? result.alias() : result;
            produced.Add(name);
        }
    }

    private OnnxOperator Operator(NodeProto node)
    {
        OnnxOperator op = OnnxOperators.Find(node.Domain, node.OpType)
            ?? throw new UnsupportedOnnxOperatorException(node.Domain is "" or "ai.onnx" ? node.OpType : $"{node.Domain}.{node.OpType}", node.Name);
        op.Validate?.Invoke(node, Opset);
        return op;
    }

    /// <summary>The float initializers that some node reads in a weight position.</summary>
    private HashSet<string> Weights(Dictionary<string, TensorProto> initializers)
    {
        var weights = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < _order.Length; i++)
        {
            foreach (int position in _operators[i].WeightInputs.Where(p => p < _order[i].Input.Count))
            {
                string input = _order[i].Input[position];
                if (initializers.TryGetValue(input, out TensorProto? proto) && proto.DataType == (int)DataType.Float)
                {
                    weights.Add(input);
                }
            }
        }
        return weights;
    }
}
