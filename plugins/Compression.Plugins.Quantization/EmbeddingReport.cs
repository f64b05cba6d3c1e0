using System.Globalization;
using System.Text;

namespace Compression.Plugins.Quantization;

/// <summary>The quantize stage's report for an embedding student: retrieval quality of fp32 and int8, then latency per sequence length.</summary>
internal static class EmbeddingReport
{
    public static void Append(StringBuilder report, EmbeddingSideBySide measured, SideBySide student)
    {
        var difference = measured.RecallAt10Difference;
        report.AppendLine("| model | recall@1 | recall@10 | MRR | bytes |");
        report.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        report.AppendLine(Row("student fp32", $"{measured.Fp32.RecallAt(1):0.0000}", $"{measured.Fp32.RecallAt(10):0.0000}", $"{measured.Fp32.MeanReciprocalRank:0.0000}", $"{student.Fp32Bytes:N0}"));
        report.AppendLine(Row("student int8", $"{measured.Int8.RecallAt(1):0.0000}", $"{measured.Int8.RecallAt(10):0.0000}", $"{measured.Int8.MeanReciprocalRank:0.0000}", $"{student.Int8Bytes:N0}"));
        report.AppendLine();
        report.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Int8 minus fp32 recall@10: {difference.Mean * 100:+0.00;-0.00;0.00} points (95% paired bootstrap over the {measured.Fp32.Queries} queries: {difference.Low * 100:+0.00;-0.00;0.00} to {difference.High * 100:+0.00;-0.00;0.00}); mean cosine of the int8 embeddings to the fp32 ones: {measured.Int8CosineToFp32:0.0000}."));
        report.AppendLine();
        report.AppendLine("| tokens | fp32 ms, batch 1 | int8 ms, batch 1 | int8 / fp32 | fp32 ms, batch 64 | int8 ms, batch 64 | int8 / fp32 |");
        report.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (LengthLatencies length in measured.Lengths.OrderBy(l => l.Length))
        {
            report.AppendLine(Row($"{length.Length}", $"{length.Fp32Batch1:0.000}", $"{length.Int8Batch1:0.000}", $"{length.LatencyRatio1:0.00}x", $"{length.Fp32Batch64:0.000}", $"{length.Int8Batch64:0.000}", $"{length.LatencyRatio64:0.00}x"));
        }
    }

    private static string Row(params string[] cells) => string.Create(CultureInfo.InvariantCulture, $"| {string.Join(" | ", cells)} |");
}
