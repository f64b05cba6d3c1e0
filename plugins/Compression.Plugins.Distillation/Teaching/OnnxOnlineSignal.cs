using System.Diagnostics;
using Compression.Abstractions.Stages;
using Compression.Models.Training;
using static TorchSharp.torch;

namespace Compression.Plugins.Distillation.Teaching;

/// <summary>
/// Online teacher through ONNX Runtime (the teacher's ONNX file, whether the user gave it or the host
/// trained it from a spec): the teacher sees exactly the augmented batch the student sees, which is
/// the "consistent teacher" of Beyer et al. 2022.
/// </summary>
internal sealed class OnnxOnlineSignal(ITeacher teacher, int classes) : ITeacherSignal
{
    private readonly ITeacherSession _session = teacher.OpenSession();
    private readonly Stopwatch _clock = new();

    public TimeSpan Elapsed => _clock.Elapsed;

    public Tensor Logits(TrainingBatch batch)
    {
        _clock.Start();
        int count = (int)batch.Inputs.shape[0];
        float[] features = batch.Inputs.contiguous().data<float>().ToArray();
        float[] logits = _session.Logits(features, count);
        Tensor result = tensor(logits, [count, classes]);
        _clock.Stop();
        return result;
    }

    public void Dispose() => _session.Dispose();
}
