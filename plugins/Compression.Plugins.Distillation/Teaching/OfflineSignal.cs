using System.Diagnostics;
using Compression.Models.Training;
using static TorchSharp.torch;

namespace Compression.Plugins.Distillation.Teaching;

/// <summary>Teacher logits computed once for every training row (cached by the host), looked up per batch.</summary>
internal sealed class OfflineSignal(float[] logits, int rows, int classes) : ITeacherSignal
{
    private readonly Tensor _logits = tensor(logits, [rows, classes]);
    private readonly Stopwatch _clock = new();

    public TimeSpan Elapsed => _clock.Elapsed;

    public Tensor Logits(TrainingBatch batch)
    {
        _clock.Start();
        using Tensor indices = tensor(batch.Rows);
        Tensor result = _logits.index_select(0, indices);
        _clock.Stop();
        return result;
    }

    public void Dispose() => _logits.Dispose();
}
