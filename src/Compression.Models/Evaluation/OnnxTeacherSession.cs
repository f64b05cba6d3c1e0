using Compression.Abstractions.Stages;
using Compression.Onnx;

namespace Compression.Models.Evaluation;

/// <summary>
/// A teacher's ONNX file opened in ONNX Runtime for online distillation: one session reused for every
/// batch, whose logits are checked to be one score per class. It runs on one thread: the student's
/// training in TorchSharp uses the cores between teacher calls, and ONNX Runtime's worker threads
/// spinning after each call would take them away from it.
/// </summary>
public sealed class OnnxTeacherSession(string onnxPath, int classCount) : ITeacherSession
{
    private readonly OnnxInferenceSession _session = new(onnxPath, intraOpThreads: 1);

    public float[] Logits(ReadOnlySpan<float> features, int count)
    {
        float[] logits = _session.Run(features, count);
        if (logits.Length != (long)count * classCount)
        {
            throw new InvalidDataException(
                $"{Path.GetFileName(onnxPath)} gives {logits.Length / Math.Max(count, 1)} outputs per sample; a classifier for this data must give {classCount} logits per sample");
        }
        return logits;
    }

    public void Dispose() => _session.Dispose();
}
