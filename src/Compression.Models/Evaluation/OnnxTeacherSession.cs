using Compression.Abstractions.Stages;
using Compression.Onnx;

namespace Compression.Models.Evaluation;

/// <summary>
/// A teacher's ONNX file opened in ONNX Runtime for online distillation: one session reused for every
/// batch, whose logits are checked to be one score per class, with the intermediate tensors
/// <c>features</c> as extra outputs when a method taps them. It runs on one thread: the student's
/// training in TorchSharp uses the cores between teacher calls, and ONNX Runtime's worker threads
/// spinning after each call would take them away from it.
/// </summary>
public sealed class OnnxTeacherSession : ITeacherSession
{
    private readonly string _onnxPath;
    private readonly int _classCount;
    private readonly OnnxInferenceSession? _plain;
    private readonly OnnxTappedTeacher? _tapped;

    /// <summary>Opens the teacher.</summary>
    /// <exception cref="FeatureTapException">A feature is not a float tensor of fixed shape in the graph.</exception>
    public OnnxTeacherSession(string onnxPath, int classCount, IReadOnlyList<string>? features = null)
    {
        _onnxPath = onnxPath;
        _classCount = classCount;
        if (features is { Count: > 0 })
        {
            _tapped = new OnnxTappedTeacher(onnxPath, features, classCount, intraOpThreads: 1);
        }
        else
        {
            _plain = new OnnxInferenceSession(onnxPath, intraOpThreads: 1);
        }
    }

    public float[] Logits(ReadOnlySpan<float> features, int count)
    {
        if (_tapped is not null)
        {
            return _tapped.Run(features, count).Logits;
        }
        float[] logits = _plain!.Run(features, count);
        ClassifierEvaluator.CheckLogits(_onnxPath, logits.Length, count, _classCount);
        return logits;
    }

    public TeacherOutputs Run(ReadOnlySpan<float> features, int count) =>
        _tapped is not null ? _tapped.Run(features, count) : new TeacherOutputs(Logits(features, count), []);

    public void Dispose()
    {
        _plain?.Dispose();
        _tapped?.Dispose();
    }
}
