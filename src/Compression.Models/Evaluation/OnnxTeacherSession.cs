using Compression.Abstractions.Stages;
using Compression.Onnx;

namespace Compression.Models.Evaluation;

/// <summary>
/// A teacher's ONNX file opened in ONNX Runtime for online distillation: one session reused for every
/// batch, whose logits are checked to be one score per class.
/// </summary>
public sealed class OnnxTeacherSession(string onnxPath, int classCount) : ITeacherSession
{
    private readonly OnnxInferenceSession _session = new(onnxPath);

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
