using Compression.Abstractions.Data;
using Compression.Abstractions.Metrics;
using Compression.Abstractions.Stages;

namespace Compression.Abstractions.Evaluation;

/// <summary>
/// Evaluates the teacher and the final student on the test split for one kind of task, after the
/// stages ran; the config's <c>task</c> chooses it (default <c>classification</c>, built in). A plugin
/// adds one with <c>services.AddSingleton&lt;IModelEvaluator&gt;(new MyEvaluator())</c>.
/// </summary>
public interface IModelEvaluator
{
    /// <summary>The task name used in compression.json (<c>"task": "classification"</c>); matched case-insensitively.</summary>
    string Task { get; }

    /// <summary>The metrics <see cref="EvaluateAsync"/> reports, described before anything runs (budgets are checked against them).</summary>
    IReadOnlyList<MetricDescriptor> Metrics { get; }

    /// <summary>Evaluates teacher and student on <see cref="DataSplits.Test"/>.</summary>
    /// <param name="teacher">The (first) teacher.</param>
    /// <param name="studentOnnxPath">The final student's ONNX file.</param>
    /// <param name="data">The data splits.</param>
    /// <param name="cancellationToken">Cancels the evaluation.</param>
    Task<ModelEvaluation> EvaluateAsync(ITeacher teacher, string studentOnnxPath, DataSplits data, CancellationToken cancellationToken);
}
