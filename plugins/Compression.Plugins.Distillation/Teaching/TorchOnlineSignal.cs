using System.Diagnostics;
using Compression.Models;
using Compression.Models.Training;
using static TorchSharp.torch;

namespace Compression.Plugins.Distillation.Teaching;

/// <summary>
/// Online teacher that is a TorchSharp model in this process (a Born-Again generation's student
/// teaching the next one): a forward pass in eval mode without gradients on the student's batch.
/// </summary>
internal sealed class TorchOnlineSignal(SequentialModel teacher) : ITeacherSignal
{
    private readonly Stopwatch _clock = new();

    public TimeSpan Elapsed => _clock.Elapsed;

    public TeacherSignal Outputs(TrainingBatch batch)
    {
        _clock.Start();
        teacher.eval();
        Tensor result;
        using (no_grad())
        {
            result = teacher.forward(batch.Inputs).detach();
        }
        _clock.Stop();
        return new TeacherSignal(result, []);
    }

    public void Dispose()
    {
        // The model belongs to the caller (it is the previous generation's student).
    }
}
