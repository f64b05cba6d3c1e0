using System.Diagnostics;
using Compression.Abstractions.Stages;
using Compression.Models.Training;
using static TorchSharp.torch;

namespace Compression.Plugins.Distillation.Teaching;

/// <summary>
/// Online teacher through ONNX Runtime (the teacher's ONNX file, whether the user gave it or the host
/// trained it from a spec): the teacher sees exactly the augmented batch the student sees, which is
/// the "consistent teacher" of Beyer et al. 2022. Tapped tensors come from the same pass.
/// </summary>
internal sealed class OnnxOnlineSignal(ITeacher teacher, int classes, IReadOnlyList<string> taps, IReadOnlyList<IReadOnlyList<int>> tapShapes) : ITeacherSignal
{
    private readonly ITeacherSession _session = taps.Count == 0 ? teacher.OpenSession() : teacher.OpenSession(taps);
    private readonly Stopwatch _clock = new();

    public TimeSpan Elapsed => _clock.Elapsed;

    public TeacherSignal Outputs(TrainingBatch batch)
    {
        _clock.Start();
        int count = (int)batch.Inputs.shape[0];
        float[] features = batch.Inputs.contiguous().data<float>().ToArray();
        TeacherSignal result;
        if (taps.Count == 0)
        {
            result = new TeacherSignal(tensor(_session.Logits(features, count), [count, classes]), []);
        }
        else
        {
            TeacherOutputs outputs = _session.Run(features, count);
            result = new TeacherSignal(
                tensor(outputs.Logits, [count, classes]),
                outputs.Features.Select((values, i) => tensor(values, [count, .. tapShapes[i].Select(d => (long)d)])).ToArray());
        }
        _clock.Stop();
        return result;
    }

    public void Dispose() => _session.Dispose();
}
