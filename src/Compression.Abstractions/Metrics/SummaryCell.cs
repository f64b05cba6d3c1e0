namespace Compression.Abstractions.Metrics;

/// <summary>
/// Where a metric shows in the summary table: in an extra column, in the row of one of the final
/// student's metrics. A stage may place a metric that another reports (the quantize stage shows the
/// final student's parameter count in its fp32 column, quantization keeping it) by describing it again with a cell.
/// </summary>
/// <param name="Column">The column.</param>
/// <param name="Row">The final student's metric whose row the value sits in, e.g. <c>student.accuracy</c> (<see cref="MetricNames"/>).</param>
public sealed record SummaryCell(SummaryColumn Column, string Row);
