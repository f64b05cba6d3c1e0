using System.Diagnostics;
using Compression.Models.Training;
using static TorchSharp.torch;

namespace Compression.Plugins.Distillation.Teaching;

/// <summary>
/// Teacher logits (and tapped features) computed once for every training row (cached by the host),
/// looked up per batch.
/// </summary>
internal sealed class OfflineSignal : ITeacherSignal
{
    private readonly Tensor _logits;
    private readonly Tensor[] _features;
    private readonly Stopwatch _clock = new();

    /// <param name="logits">Row-major [rows, classes].</param>
    /// <param name="rows">Training rows.</param>
    /// <param name="classes">Logits per row.</param>
    /// <param name="features">Each tap's values, row-major [rows, ...shape], with its per-sample shape.</param>
    public OfflineSignal(float[] logits, int rows, int classes, IReadOnlyList<(float[] Values, IReadOnlyList<int> Shape)>? features = null)
    {
        _logits = tensor(logits, [rows, classes]);
        _features = (features ?? []).Select(f => tensor(f.Values, [rows, .. f.Shape.Select(d => (long)d)])).ToArray();
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    public TeacherSignal Outputs(TrainingBatch batch)
    {
        _clock.Start();
        using Tensor indices = tensor(batch.Rows);
        var result = new TeacherSignal(_logits.index_select(0, indices), _features.Select(f => f.index_select(0, indices)).ToArray());
        _clock.Stop();
        return result;
    }

    public void Dispose()
    {
        _logits.Dispose();
        foreach (Tensor feature in _features)
        {
            feature.Dispose();
        }
    }
}
