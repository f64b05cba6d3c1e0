using System.Globalization;
using Compression.Abstractions.Stages;
using Compression.Models.Evaluation;

namespace Compression.Plugins.Quantization;

/// <summary>
/// Accuracy-aware mixed precision (<see cref="QuantizeSettings.MinAgreement"/>): keeps the quantized
/// nodes whose int8 error moves the output most in float until the int8 model's top-1 class agrees
/// with the fp32 model's on at least the target share of held-out rows; the "fallback" tuning Intel
/// Neural Compressor and Olive run against an accuracy goal. The rows are the validation split, then
/// transfer rows: never the test split the gate judges, nor train rows, which the model is surest of.
/// </summary>
/// <remarks>
/// Ranking: each candidate is kept float alone and the mean squared logit error against fp32 is
/// measured on a few hundred rows (a continuous measure ranks better than top-1 flips on so few rows);
/// the candidate whose float copy leaves the smallest error is the most sensitive. With a latency
/// measure (<see cref="QuantizeSettings.FloatRanking"/> "errorPerLatency"), candidates rank instead by the
/// error their float copy removes per millisecond it adds at batch 1 (timed side by side with the fully
/// int8 model, at least 1% of its latency): on ResNet-18 the error is spread evenly over the layers
/// while the cost of a float layer is not (ONNX Runtime's int8 kernels gain little on the early,
/// 64-channel layers), and error alone chose a set that made int8 slower than fp32. Then a binary search
/// over how many of the ranked nodes stay float finds the fewest that reach the target, each step
/// measuring agreement on all the rows. Agreement is close to monotone in that count, and the answer is
/// measured, not inferred: the returned agreement is the one the chosen model gave.
/// </remarks>
internal static class AgreementSearch
{
    /// <summary>Rows the ranking's logit error is measured on.</summary>
    private const int RankingRows = 256;

    /// <summary>What the search found.</summary>
    /// <param name="Float">The nodes to keep float beyond the stage's own exclusions, most sensitive first.</param>
    /// <param name="Before">Agreement with every candidate quantized.</param>
    /// <param name="After">Agreement of the chosen model.</param>
    /// <param name="Rows">How many held-out rows the agreement is over.</param>
    public sealed record Result(IReadOnlyList<string> Float, double Before, double After, int Rows);

    /// <summary>Runs the search.</summary>
    /// <param name="candidates">The quantized nodes that may be kept float.</param>
    /// <param name="target">The least top-1 agreement to reach.</param>
    /// <param name="reference">The fp32 model's logits on the held-out rows, row-major.</param>
    /// <param name="classCount">Logits per row.</param>
    /// <param name="variantLogits">The logits, on the first <c>rows</c> held-out rows, of the int8 model with the given nodes kept float.</param>
    /// <param name="progress">Receives a line per measurement.</param>
    /// <param name="cancellationToken">Checked between measurements.</param>
    /// <exception cref="StageException">Not even every node but one in float reaches the target (at minAgreement).</exception>
    public static Result Run(
        IReadOnlyList<string> candidates, double target, float[] reference, int classCount,
        Func<IReadOnlyCollection<string>, int, float[]> variantLogits, Action<string> progress, CancellationToken cancellationToken) =>
        Run(candidates, target, reference, classCount, variantLogits, null, progress, cancellationToken);

    /// <summary>Runs the search, ranking by error removed per millisecond added when <paramref name="addedLatency"/> is given.</summary>
    /// <param name="candidates">The quantized nodes that may be kept float.</param>
    /// <param name="target">The least top-1 agreement to reach.</param>
    /// <param name="reference">The fp32 model's logits on the held-out rows, row-major.</param>
    /// <param name="classCount">Logits per row.</param>
    /// <param name="variantLogits">The logits, on the first <c>rows</c> held-out rows, of the int8 model with the given nodes kept float.</param>
    /// <param name="addedLatency">Milliseconds the int8 model with the given node float takes beyond the fully int8 one (negative when faster), and the fully int8 model's; null ranks by error alone.</param>
    /// <param name="progress">Receives a line per measurement.</param>
    /// <param name="cancellationToken">Checked between measurements.</param>
    /// <exception cref="StageException">Not even every node but one in float reaches the target (at minAgreement).</exception>
    public static Result Run(
        IReadOnlyList<string> candidates, double target, float[] reference, int classCount,
        Func<IReadOnlyCollection<string>, int, float[]> variantLogits, Func<string, (double Added, double Int8)>? addedLatency,
        Action<string> progress, CancellationToken cancellationToken)
    {
        int rows = reference.Length / classCount;
        double Agreement(IReadOnlyCollection<string> floatNodes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ClassifierEvaluator.Agreement(reference, variantLogits(floatNodes, rows), classCount);
        }

        double before = Agreement([]);
        progress($"int8 agrees with fp32 on {before * 100:0.00}% of {rows} held-out rows (minAgreement {target * 100:0.00}%)");
        if (before >= target)
        {
            return new Result([], before, before, rows);
        }

        IReadOnlyList<string> ranked = Rank(candidates, reference, classCount, variantLogits, addedLatency, progress, cancellationToken);
        // At least one node stays int8 (else nothing is quantized), so the most that can stay float is all but the least sensitive.
        int low = 1, high = ranked.Count - 1;
        double atHigh = high >= 1 ? Agreement(ranked.Take(high).ToList()) : before;
        if (atHigh < target)
        {
            throw new StageException(
                $"int8 cannot reach the minAgreement of {target * 100:0.00}%: {before * 100:0.00}% agreement fully quantized, {atHigh * 100:0.00}% with every quantized node but one kept float ({rows} held-out rows); lower minAgreement, or do not quantize this model",
                "minAgreement");
        }
        while (low < high)
        {
            int middle = (low + high) / 2;
            double agreement = Agreement(ranked.Take(middle).ToList());
            progress($"{middle} of {ranked.Count} node(s) float: agreement {agreement * 100:0.00}%");
            if (agreement >= target)
            {
                (high, atHigh) = (middle, agreement);
            }
            else
            {
                low = middle + 1;
            }
        }
        return new Result(ranked.Take(high).ToList(), before, atHigh, rows);
    }

    /// <summary>
    /// Candidates ordered by how much keeping each one float alone brings int8's logits closer to fp32's,
    /// or, with <paramref name="addedLatency"/>, by that gain per millisecond the float copy adds.
    /// </summary>
    private static IReadOnlyList<string> Rank(
        IReadOnlyList<string> candidates, float[] reference, int classCount,
        Func<IReadOnlyCollection<string>, int, float[]> variantLogits, Func<string, (double Added, double Int8)>? addedLatency,
        Action<string> progress, CancellationToken cancellationToken)
    {
        int count = Math.Min(RankingRows, reference.Length / classCount);
        var errors = new Dictionary<string, double>(StringComparer.Ordinal);
        var costs = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string node in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            errors[node] = MeanSquaredError(reference.AsSpan(0, count * classCount), variantLogits([node], count));
            string cost = "";
            if (addedLatency is not null)
            {
                var (added, int8) = addedLatency(node);
                // A float node that measures no slower still costs something: ties break on error, and no division by zero.
                costs[node] = Math.Max(added, int8 / 100);
                cost = string.Create(CultureInfo.InvariantCulture, $" and the batch-1 latency {(added >= 0 ? "+" : "")}{added:0.00} ms");
            }
            progress($"sensitivity {errors.Count}/{candidates.Count}: with {node} float the logit error is {errors[node]:G4}{cost}");
        }
        if (addedLatency is null)
        {
            return [.. candidates.OrderBy(n => errors[n]).ThenBy(n => n, StringComparer.Ordinal)];
        }
        double fullyQuantized = MeanSquaredError(reference.AsSpan(0, count * classCount), variantLogits([], count));
        return [.. candidates.OrderByDescending(n => Math.Max(0, fullyQuantized - errors[n]) / costs[n]).ThenBy(n => errors[n]).ThenBy(n => n, StringComparer.Ordinal)];
    }

    private static double MeanSquaredError(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        double sum = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = expected[i] - actual[i];
            sum += difference * difference;
        }
        return sum / Math.Max(1, expected.Length);
    }
}
