using System.Globalization;
using Compression.Abstractions.Stages;
using Compression.Models.Evaluation.Embeddings;
using Compression.Models.Import;
using Compression.Models.Initialization;
using Compression.Models.Layers;
using Compression.Models.Spec;
using Compression.Models.Training;
using Compression.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Plugins.Distillation.TinyBert;

/// <summary>
/// The layer half of <c>"method": "tinybert"</c> for one run: which teacher layer each student encoder is matched to,
/// the student taps (<c>name</c>, <c>name.attention</c>), the projections for hidden states of another width (trained
/// with the student, never exported), and the teacher's matched tensors, computed batch by batch by ONNX Runtime on an
/// in-memory copy of the teacher whose graph outputs are those layers' outputs and Softmax outputs
/// (<see cref="OnnxEncoderTaps"/>). They are not cached: a text's attention maps are heads x L x L floats per layer
/// (12 x 32 x 32 x 3 layers = 147 KiB at L = 32), 1.6 GB over 10,800 training texts.
/// </summary>
internal sealed class TinyBertTerms : IDisposable
{
    public const string HiddenWeight = "hidden", AttentionWeight = "attention";

    private readonly OnnxEncoderTaps _teacher;
    private readonly (string Name, int Teacher)[] _pairs;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> _projections;
    private readonly bool[] _projected;
    private readonly double _hiddenWeight;
    private readonly double _attentionWeight;

    private TinyBertTerms(OnnxEncoderTaps teacher, (string Name, int Teacher)[] pairs, ModuleList<nn.Module<Tensor, Tensor>> projections, bool[] projected, double hiddenWeight, double attentionWeight)
    {
        _teacher = teacher;
        _pairs = pairs;
        _projections = projections;
        _projected = projected;
        _hiddenWeight = hiddenWeight;
        _attentionWeight = attentionWeight;
    }

    /// <summary>The student taps the loss reads.</summary>
    public IReadOnlyCollection<string> Taps => [.. _pairs.SelectMany(p => new[] { p.Name, p.Name + EncoderLayer.AttentionSuffix })];

    /// <summary>The projections (a module whose parameters train with the student).</summary>
    public nn.Module Module => _projections;

    /// <summary>"enc1 to teacher layer 1, ..." for the report.</summary>
    public string Describe() => string.Join(", ", _pairs.Select((p, k) => string.Create(CultureInfo.InvariantCulture,
        $"{p.Name} to teacher layer {p.Teacher}{(_projected[k] ? " (projected)" : "")}")));

    /// <summary>Matches the student's encoders to the teacher's layers and opens the teacher.</summary>
    /// <exception cref="StageException">The teacher is not a BERT-family ONNX encoder, or <c>layerMap</c> does not fit it.</exception>
    public static TinyBertTerms Open(ModelSpec student, string teacherPath, IReadOnlyList<int> layerMap, double hiddenWeight, double attentionWeight, int seed)
    {
        (string Name, int Hidden, int Heads)[] encoders = [.. student.Layers
            .Where(l => l.Type is EncoderLayer)
            .Select(l => (l.Name!, ((EncoderLayer.Settings)l.Settings).Hidden, ((EncoderLayer.Settings)l.Settings).Heads))];
        int teacherLayers, teacherHidden;
        IReadOnlyList<string> outputs, attention;
        try
        {
            using BertOnnxWeights weights = BertOnnxWeights.Read(teacherPath);
            (teacherLayers, teacherHidden, outputs, attention) = (weights.LayerCount, weights.Hidden, weights.LayerOutputs, weights.AttentionProbabilities);
        }
        catch (Exception ex) when (ex is InvalidDataException or OnnxImportException)
        {
            throw new StageException($"\"method\": \"tinybert\" needs a BERT-family ONNX teacher: {ex.Message}", "method", ex);
        }
        int[] map = Match(layerMap, encoders.Length, teacherLayers);
        manual_seed(seed);
        var projections = new ModuleList<nn.Module<Tensor, Tensor>>();
        var projected = new bool[encoders.Length];
        for (int k = 0; k < encoders.Length; k++)
        {
            projected[k] = encoders[k].Hidden != teacherHidden;
            projections.Add(projected[k] ? nn.Linear(encoders[k].Hidden, teacherHidden) : nn.Identity());
        }
        string[] tensors = [.. map.Select(t => outputs[t]), .. map.Select(t => attention[t])];
        OnnxEncoderTaps teacher;
        try
        {
            teacher = new OnnxEncoderTaps(teacherPath, tensors, intraOpThreads: 0);
        }
        catch (Exception ex) when (ex is InvalidDataException or OnnxFormatException)
        {
            // The taps check the graph's inputs as the sentence encoder does: a graph they refuse is the user's teacher, not our bug.
            projections.Dispose();
            throw new StageException($"\"method\": \"tinybert\" needs a BERT-family ONNX teacher: {ex.Message}", "method", ex);
        }
        return new TinyBertTerms(teacher, [.. encoders.Select((e, k) => (e.Name, map[k]))], projections, projected, hiddenWeight, attentionWeight);
    }

    /// <summary>The teacher layer of each student encoder: <c>layerMap</c> when set (each checked against the teacher's layer count), else <see cref="Uniform"/>.</summary>
    /// <exception cref="StageException">An entry is not one of the teacher's layers (the entry and the range are named).</exception>
    public static int[] Match(IReadOnlyList<int> layerMap, int studentLayers, int teacherLayers)
    {
        int[] map = layerMap.Count > 0 ? [.. layerMap] : Uniform(studentLayers, teacherLayers);
        for (int k = 0; k < map.Length; k++)
        {
            if (map[k] < 0 || map[k] >= teacherLayers)
            {
                // A stage error is printed as "stage 'distill': message" at the entry's line: the message names the entry itself.
                throw new StageException(string.Create(CultureInfo.InvariantCulture,
                    $"'layerMap[{k}]' is {map[k]} but the teacher has {teacherLayers} encoder layers: expected 0 to {teacherLayers - 1}"), $"layerMap[{k}]");
            }
        }
        return map;
    }

    /// <summary>TinyBERT's uniform map: student layer m of M (1-based) to teacher layer m x N / M, as 0-based indices.</summary>
    public static int[] Uniform(int studentLayers, int teacherLayers) =>
        [.. Enumerable.Range(1, studentLayers).Select(m => Math.Max(0, (m * teacherLayers / studentLayers) - 1))];

    /// <summary>The weighted hidden-state and attention terms of a batch, averaged over the matched layers.</summary>
    public Tensor Loss(TrainingBatch batch)
    {
        IReadOnlyList<Tensor> teacher = _teacher.Run(batch.Inputs);
        Tensor hidden = zeros(1), attention = zeros(1);
        for (int k = 0; k < _pairs.Length; k++)
        {
            Tensor tap = batch.Features[_pairs[k].Name];
            long width = tap.shape[^1] - 1;
            Tensor states = tap.narrow(-1, 0, width);
            Tensor mask = tap.narrow(-1, width, 1);
            hidden = hidden + TinyBertLosses.Hidden(states, teacher[k], mask, _projected[k] ? _projections[k] : null);
            attention = attention + TinyBertLosses.Attention(batch.Features[_pairs[k].Name + EncoderLayer.AttentionSuffix], teacher[_pairs.Length + k], mask);
        }
        hidden = hidden / _pairs.Length;
        attention = attention / _pairs.Length;
        batch.Terms?.Add(HiddenWeight, hidden.item<float>());
        batch.Terms?.Add(AttentionWeight, attention.item<float>());
        return (hidden * _hiddenWeight) + (attention * _attentionWeight);
    }

    public void Dispose()
    {
        _teacher.Dispose();
        _projections.Dispose();
    }
}
