using System.Globalization;
using Compression.Models.Import;
using Compression.Onnx;
using Compression.Onnx.Proto;
using static TorchSharp.torch;

namespace Compression.Models.Initialization;

/// <summary>
/// The weights of a BERT-family encoder (BERT, MiniLM, DistilBERT-as-BERT) read out of its ONNX file as Hugging
/// Face's exporter names them: <c>embeddings.word_embeddings.weight</c>, <c>embeddings.position_embeddings.weight</c>,
/// <c>embeddings.token_type_embeddings.weight</c>, <c>embeddings.LayerNorm.*</c>, and per layer i
/// <c>encoder.layer.i.attention.self.{query,key,value}.bias</c>, <c>attention.output.dense.bias</c>,
/// <c>attention.output.LayerNorm.*</c>, <c>intermediate.dense.bias</c>, <c>output.dense.bias</c>,
/// <c>output.LayerNorm.*</c> (any common prefix such as <c>bert.</c>). The exporter leaves the projection weights
/// anonymous (<c>927</c>, <c>onnx::MatMul_927</c>), so each is found through the graph: the MatMul (or Gemm) whose
/// output the named bias is added to. LayerNorm may be one LayerNormalization node or its decomposition: only
/// its named scale and bias are read. Every tensor is in PyTorch's layout here (a projection [out, in]).
/// </summary>
public sealed class BertOnnxWeights : IDisposable
{
    private const string WordSuffix = "embeddings.word_embeddings.weight";

    private readonly List<BertLayerWeights> _layers;

    private BertOnnxWeights(string path, Tensor words, Tensor positions, Tensor? tokenTypes, Tensor normWeight, Tensor normBias, List<BertLayerWeights> layers, int? heads,
        IReadOnlyList<string> layerOutputs, IReadOnlyList<string> attentionProbabilities)
    {
        LayerOutputs = layerOutputs;
        AttentionProbabilities = attentionProbabilities;
        Path = path;
        Words = words;
        Positions = positions;
        TokenTypes = tokenTypes;
        NormWeight = normWeight;
        NormBias = normBias;
        _layers = layers;
        Heads = heads;
    }

    /// <summary>The ONNX file read.</summary>
    public string Path { get; }

    /// <summary>Rows of the word table.</summary>
    public int Vocabulary => (int)Words.shape[0];

    /// <summary>Width of the hidden states.</summary>
    public int Hidden => (int)Words.shape[1];

    /// <summary>Rows of the position table.</summary>
    public int MaxPositions => (int)Positions.shape[0];

    /// <summary>The feed-forward's inner width (of layer 0; every layer is checked to agree).</summary>
    public int Intermediate => _layers.Count == 0 ? 0 : (int)_layers[0].Intermediate.Weight.shape[0];

    /// <summary>Attention heads, read from the Reshape that splits layer 0's queries; null when the graph does not say it as constants.</summary>
    public int? Heads { get; }

    /// <summary>Per encoder layer, the graph tensor it ends in (hidden states [batch, sequence, hidden] after its output LayerNorm).</summary>
    public IReadOnlyList<string> LayerOutputs { get; }

    /// <summary>Per encoder layer, the graph tensor of its attention probabilities [batch, heads, sequence, sequence] (the Softmax's output).</summary>
    public IReadOnlyList<string> AttentionProbabilities { get; }

    /// <summary>Number of encoder layers.</summary>
    public int LayerCount => _layers.Count;

    internal Tensor Words { get; }

    internal Tensor Positions { get; }

    /// <summary>The token-type table, when the model has one (row 0 is what a single sentence adds at every position).</summary>
    internal Tensor? TokenTypes { get; }

    internal Tensor NormWeight { get; }

    internal Tensor NormBias { get; }

    internal IReadOnlyList<BertLayerWeights> Layers => _layers;

    /// <summary>Reads the weights of <paramref name="onnxPath"/>.</summary>
    /// <exception cref="InvalidDataException">The graph is not a BERT-family encoder as Hugging Face's exporter writes one: the message names the tensor missing or of the wrong shape.</exception>
    /// <exception cref="OnnxImportException">A tensor the importer cannot read (external data, an unsupported type).</exception>
    public static BertOnnxWeights Read(string onnxPath)
    {
        ArgumentNullException.ThrowIfNull(onnxPath);
        GraphProto graph = OnnxModelFile.Read(onnxPath).Graph;
        var graphIndex = new BertGraphIndex(graph, onnxPath);
        string prefix = graphIndex.PrefixOf(WordSuffix)
            ?? throw new InvalidDataException($"{onnxPath} is not a BERT-family encoder as Hugging Face's exporter names one: no initializer named '{WordSuffix}' (or '<prefix>.{WordSuffix}')");
        Tensor words = graphIndex.Matrix(prefix + WordSuffix, rows: null, columns: null);
        int hidden = (int)words.shape[1];
        Tensor positions = graphIndex.Matrix(prefix + "embeddings.position_embeddings.weight", rows: null, columns: hidden);
        Tensor? tokenTypes = graphIndex.Has(prefix + "embeddings.token_type_embeddings.weight")
            ? graphIndex.Matrix(prefix + "embeddings.token_type_embeddings.weight", rows: null, columns: hidden)
            : null;
        Tensor normWeight = graphIndex.Vector(prefix + "embeddings.LayerNorm.weight", hidden);
        Tensor normBias = graphIndex.Vector(prefix + "embeddings.LayerNorm.bias", hidden);
        var layers = new List<BertLayerWeights>();
        for (int i = 0; graphIndex.Has(Layer(prefix, i) + "attention.self.query.bias"); i++)
        {
            layers.Add(ReadLayer(graphIndex, Layer(prefix, i), hidden));
        }
        if (layers.Count == 0)
        {
            throw new InvalidDataException($"{onnxPath} has embeddings but no encoder layer: no initializer named '{Layer(prefix, 0)}attention.self.query.bias'");
        }
        int intermediate = (int)layers[0].Intermediate.Weight.shape[0];
        for (int i = 1; i < layers.Count; i++)
        {
            if (layers[i].Intermediate.Weight.shape[0] != intermediate)
            {
                throw new InvalidDataException($"{onnxPath}: layer {i}'s feed-forward is {layers[i].Intermediate.Weight.shape[0]} wide but layer 0's is {intermediate}; expected one width");
            }
        }
        int? heads = graphIndex.HeadsAfter(Layer(prefix, 0) + "attention.self.query.bias", hidden);
        string[] outputs = [.. Enumerable.Range(0, layers.Count).Select(i => graphIndex.OutputUsing(Layer(prefix, i) + "output.LayerNorm.bias"))];
        string[] attention = [.. Enumerable.Range(0, layers.Count).Select(i => graphIndex.SoftmaxAfter(Layer(prefix, i) + "attention.self.query.bias"))];
        return new BertOnnxWeights(onnxPath, words, positions, tokenTypes, normWeight, normBias, layers, heads, outputs, attention);
    }

    public void Dispose()
    {
        Words.Dispose();
        Positions.Dispose();
        TokenTypes?.Dispose();
        NormWeight.Dispose();
        NormBias.Dispose();
        foreach (BertLayerWeights layer in _layers)
        {
            layer.Dispose();
        }
    }

    private static string Layer(string prefix, int index) => string.Create(CultureInfo.InvariantCulture, $"{prefix}encoder.layer.{index}.");

    private static BertLayerWeights ReadLayer(BertGraphIndex graph, string layer, int hidden)
    {
        BertProjection query = graph.Projection(layer + "attention.self.query", hidden, hidden);
        BertProjection key = graph.Projection(layer + "attention.self.key", hidden, hidden);
        BertProjection value = graph.Projection(layer + "attention.self.value", hidden, hidden);
        BertProjection output = graph.Projection(layer + "attention.output.dense", hidden, hidden);
        BertProjection intermediate = graph.Projection(layer + "intermediate.dense", hidden, outputs: null);
        BertProjection expandOut = graph.Projection(layer + "output.dense", (int)intermediate.Weight.shape[0], hidden);
        return new BertLayerWeights(
            query, key, value, output,
            graph.Vector(layer + "attention.output.LayerNorm.weight", hidden), graph.Vector(layer + "attention.output.LayerNorm.bias", hidden),
            intermediate, expandOut,
            graph.Vector(layer + "output.LayerNorm.weight", hidden), graph.Vector(layer + "output.LayerNorm.bias", hidden));
    }
}
