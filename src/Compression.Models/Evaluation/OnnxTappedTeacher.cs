using Compression.Abstractions.Stages;
using Compression.Onnx;
using Compression.Onnx.Proto;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Compression.Models.Evaluation;

/// <summary>
/// A teacher's ONNX graph with some intermediate tensors exposed: a copy of the model (in memory, the file
/// is never changed) whose graph outputs are the logits followed by those tensors, run in ONNX Runtime.
/// Each tapped tensor must be a float tensor whose shape is fixed apart from the batch: the shape the graph
/// declares for it (value_info) when it declares one, else the one two probe runs (batches of 1 and 2) agree on.
/// </summary>
public sealed class OnnxTappedTeacher : IDisposable
{
    private const int FloatType = 1;
    private readonly InferenceSession _session;
    private readonly string _inputName;
    private readonly string[] _outputNames;
    private readonly long[] _sampleShape;
    private readonly int _classCount;
    private readonly string _path;
    private readonly RunOptions _runOptions = new();

    /// <summary>Opens <paramref name="onnxPath"/> with <paramref name="taps"/> as extra outputs.</summary>
    /// <param name="onnxPath">The teacher's ONNX file (one float input, logits as its first output).</param>
    /// <param name="taps">Names of tensors produced by the graph's nodes.</param>
    /// <param name="classCount">Logits per sample the teacher must give.</param>
    /// <param name="intraOpThreads">ONNX Runtime threads per operator; 0 for <see cref="ComputeThreads.Count"/>.</param>
    /// <exception cref="FeatureTapException">A tap is not a tensor of the graph, not float, or has no fixed shape.</exception>
    public OnnxTappedTeacher(string onnxPath, IReadOnlyList<string> taps, int classCount, int intraOpThreads = 0)
    {
        _path = onnxPath;
        _classCount = classCount;
        ModelProto model = OnnxModelFile.Read(onnxPath);
        if (OnnxModelInfo.ExternalDataFiles(model, onnxPath).Count > 0)
        {
            throw new FeatureTapException($"{Path.GetFileName(onnxPath)} keeps its weights in external data files; feature taps need a teacher in one file (not supported yet)");
        }
        GraphProto graph = model.Graph;
        IReadOnlyList<string> available = TensorNames(graph);
        var declared = graph.ValueInfo.Concat(graph.Output).GroupBy(v => v.Name).ToDictionary(g => g.Key, g => g.First());
        var declaredShapes = new long[]?[taps.Count];
        for (int i = 0; i < taps.Count; i++)
        {
            string tap = taps[i];
            if (!available.Contains(tap, StringComparer.Ordinal))
            {
                throw new FeatureTapException(
                    $"{Path.GetFileName(onnxPath)} has no tensor \"{tap}\"; tensors it computes: {Describe(available)}");
            }
            declaredShapes[i] = declared.TryGetValue(tap, out ValueInfoProto? info) ? DeclaredShape(info, tap) : null;
            if (!graph.Output.Any(o => o.Name == tap))
            {
                graph.Output.Add(new ValueInfoProto
                {
                    Name = tap,
                    Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = FloatType } },
                });
            }
        }
        using SessionOptions options = OnnxSessionOptions.Create(intraOpThreads);
        _session = new InferenceSession(model.ToByteArray(), options);
        try
        {
            (_inputName, NodeMetadata input) = _session.InputMetadata.Single();
            _sampleShape = input.Dimensions.Skip(1).Select(d => (long)d).ToArray();
            _outputNames = [_session.OutputMetadata.Keys.First(), .. taps];
            Shapes = taps.Select((tap, i) => declaredShapes[i] is long[] shape ? ToInts(shape) : Probe(tap, i + 1)).ToArray();
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    /// <summary>The per-sample shape of each tap, in order.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Shapes { get; }

    /// <summary>The names of every tensor a node of <paramref name="graph"/> computes, in graph order.</summary>
    public static IReadOnlyList<string> TensorNames(GraphProto graph) =>
        graph.Node.SelectMany(n => n.Output).Where(o => o.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Runs a batch: the logits and each tap's values, row-major.</summary>
    public TeacherOutputs Run(ReadOnlySpan<float> features, int count)
    {
        long[] shape = [count, .. _sampleShape];
        using var input = OrtValue.CreateTensorValueFromMemory(features.ToArray(), shape);
        using var outputs = _session.Run(_runOptions, [_inputName], [input], _outputNames);
        float[] logits = Floats(outputs[0], _outputNames[0]);
        ClassifierEvaluator.CheckLogits(_path, logits.Length, count, _classCount);
        return new TeacherOutputs(logits, Enumerable.Range(1, _outputNames.Length - 1).Select(i => Floats(outputs[i], _outputNames[i])).ToArray());
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    private IReadOnlyList<int> Probe(string tap, int output)
    {
        long sampleSize = _sampleShape.Aggregate(1L, (a, b) => a * b);
        long[]? first = null;
        foreach (int batch in new[] { 1, 2 })
        {
            long[] inputShape = [batch, .. _sampleShape];
            using var input = OrtValue.CreateTensorValueFromMemory(new float[batch * sampleSize], inputShape);
            using var outputs = _session.Run(_runOptions, [_inputName], [input], _outputNames);
            OrtTensorTypeAndShapeInfo info = outputs[output].GetTensorTypeAndShape();
            if (info.ElementDataType != TensorElementType.Float)
            {
                throw new FeatureTapException($"tensor \"{tap}\" of {Path.GetFileName(_path)} is a {info.ElementDataType} tensor; a tap needs a float tensor");
            }
            long[] shape = info.Shape;
            if (shape.Length < 2 || shape[0] != batch || (first is not null && !first.Skip(1).SequenceEqual(shape.Skip(1))))
            {
                throw new FeatureTapException(
                    $"tensor \"{tap}\" of {Path.GetFileName(_path)} has no fixed shape per sample: [{string.Join(", ", first ?? shape)}] for a batch of 1{(first is null ? "" : $", [{string.Join(", ", shape)}] for a batch of 2")}; tap a tensor shaped [batch, ...fixed dimensions]");
            }
            first ??= shape;
        }
        return ToInts(first!.Skip(1).ToArray());
    }

    /// <summary>The shape value_info declares, without the batch; null when it declares none.</summary>
    private long[]? DeclaredShape(ValueInfoProto info, string tap)
    {
        TypeProto.Types.Tensor? tensor = info.Type?.TensorType;
        if (tensor is null)
        {
            return null;
        }
        if (tensor.ElemType != 0 && tensor.ElemType != FloatType)
        {
            throw new FeatureTapException($"tensor \"{tap}\" of {Path.GetFileName(_path)} has ONNX element type {tensor.ElemType}; a tap needs a float tensor (type 1)");
        }
        if (tensor.Shape is null)
        {
            return null;
        }
        var dims = tensor.Shape.Dim;
        if (dims.Count < 2 || dims.Skip(1).Any(d => d.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || d.DimValue <= 0))
        {
            string shape = string.Join(", ", dims.Select(d => d.ValueCase switch
            {
                TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue => d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
                TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam => d.DimParam,
                _ => "?",
            }));
            throw new FeatureTapException(
                $"tensor \"{tap}\" of {Path.GetFileName(_path)} has no fixed shape per sample: the graph declares [{shape}]; tap a tensor whose dimensions after the batch are fixed numbers");
        }
        return dims.Skip(1).Select(d => d.DimValue).ToArray();
    }

    private static IReadOnlyList<int> ToInts(long[] shape) => shape.Select(d => checked((int)d)).ToArray();

    private static float[] Floats(OrtValue value, string name)
    {
        OrtTensorTypeAndShapeInfo info = value.GetTensorTypeAndShape();
        if (info.ElementDataType != TensorElementType.Float)
        {
            throw new InvalidDataException($"output \"{name}\" is a {info.ElementDataType} tensor, not float");
        }
        return value.GetTensorDataAsSpan<float>().ToArray();
    }

    private static string Describe(IReadOnlyList<string> names) =>
        names.Count <= 40 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(40))}, ... ({names.Count} in all)";
}
