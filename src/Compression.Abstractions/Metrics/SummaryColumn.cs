namespace Compression.Abstractions.Metrics;

/// <summary>
/// A column of the summary table between the teacher and the final student: the student as a stage
/// measured it at an earlier point (e.g. before quantization). Its cells are the metrics whose
/// <see cref="MetricDescriptor.Summary"/> names it; it shows when the metric of its first described cell was reported.
/// </summary>
/// <param name="Heading">The column's heading, e.g. <c>student fp32</c>.</param>
/// <param name="FinalHeading">The final student's heading while this column shows, e.g. <c>student int8</c>.</param>
/// <param name="Note">What the column holds, printed under the table, e.g. <c>before the quantize stage, measured by it beside the int8 model</c>.</param>
public sealed record SummaryColumn(string Heading, string FinalHeading, string Note);
