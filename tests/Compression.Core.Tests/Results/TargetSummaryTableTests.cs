using Compression.Abstractions.Metrics;
using Compression.Core.Results;
using Compression.Core.Targets;

namespace Compression.Core.Tests.Results;

public class TargetSummaryTableTests
{
    private static PipelineResult Result(params TargetRun[] targets)
    {
        var metrics = new List<Metric>();
        foreach (TargetRun target in targets)
        {
            metrics.Add(new Metric($"{target.Name}.teacher.latency.p50_ms.batch1", 4));
            metrics.Add(new Metric($"{target.Name}.student.latency.p50_ms.batch1", 1));
            metrics.Add(new Metric($"{target.Name}.speedup.batch1", 4));
            metrics.Add(new Metric($"{target.Name}.teacher.memory_bytes", 4 * 1024 * 1024));
            metrics.Add(new Metric($"{target.Name}.student.memory_bytes", 1024 * 1024));
        }
        return new PipelineResult("/c.json", metrics, [], [], "/s.onnx", "/t.onnx", TimeSpan.Zero) { Targets = targets };
    }

    private static TargetRun Run(string name, bool emulated = false) =>
        new(name, "local", "this machine", "linux-x64", emulated, emulated ? "Arm64" : "X64", "Linux", "1.31.1", 1, "cpu", "all", 1.5);

    [Fact]
    public void Each_target_has_a_column_group_of_teacher_student_and_gain()
    {
        PipelineResult result = Result(Run("here"), Run("arm", emulated: true));
        Assert.Equal(["here: teacher", "here: student", "here: gain", "arm: teacher", "arm: student", "arm: gain"], TargetSummaryTable.Columns(result));
        SummaryTable.Row p50 = TargetSummaryTable.Rows(result)[0];
        Assert.Equal("p50 latency, batch 1", p50.Label);
        Assert.Equal(["4.000 ms", "1.000 ms", "4.00x", "4.000 ms", "1.000 ms", "4.00x"], p50.Values);
        Assert.Equal(["4.0 MiB", "1.0 MiB", "4.00x"], TargetSummaryTable.Rows(result)[^1].Values.Take(3));
    }

    [Fact]
    public void Figures_measured_under_emulation_are_labelled_as_such_in_text_and_markdown()
    {
        PipelineResult result = Result(Run("here"), Run("arm", emulated: true));
        string text = string.Join('\n', SummaryTable.ToText(result));
        Assert.Contains("arm: this machine; linux-x64 (Arm64, Linux), ONNX Runtime 1.31.1", text);
        Assert.Contains("EMULATED: these figures show that the path works on that architecture, not its speed", text);
        Assert.DoesNotContain("here: this machine; linux-x64 (X64, Linux), ONNX Runtime 1.31.1, 1 thread(s), cpu, optimisation all; 1.5 s. EMULATED", text);
        Assert.Contains("| on target | here: teacher |", SummaryTable.ToMarkdown(result));
    }

    [Fact]
    public void Without_targets_nothing_is_added() =>
        Assert.DoesNotContain("on target", string.Join('\n', SummaryTable.ToText(Result())));
}
