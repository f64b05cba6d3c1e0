using Compression.Abstractions.Stages;
using Compression.Plugins.Quantization;

namespace Compression.Plugins.Tests.Quantization;

/// <summary>
/// The mixed-precision search on made-up logits: 100 rows of 3 classes, and three nodes whose int8
/// form flips known rows (a: rows 0-9, b: rows 10-12, c: row 13), so every agreement is known by hand.
/// </summary>
public class AgreementSearchTests
{
    private const int Rows = 100, Classes = 3;

    private static readonly Dictionary<string, int[]> s_flips = new()
    {
        ["a"] = Enumerable.Range(0, 10).ToArray(),
        ["b"] = [10, 11, 12],
        ["c"] = [13],
    };

    private static float[] Reference()
    {
        var logits = new float[Rows * Classes];
        for (int row = 0; row < Rows; row++)
        {
            logits[(row * Classes) + (row % Classes)] = 5;
        }
        return logits;
    }

    private static float[] Variant(IReadOnlyCollection<string> floatNodes, int rows, List<IReadOnlyCollection<string>> calls)
    {
        calls.Add(floatNodes);
        float[] logits = Reference().AsSpan(0, rows * Classes).ToArray();
        foreach (var (node, flipped) in s_flips)
        {
            foreach (int row in flipped.Where(r => r < rows && !floatNodes.Contains(node)))
            {
                logits[(row * Classes) + ((row + 1) % Classes)] = 9;
            }
        }
        return logits;
    }

    [Fact]
    public void The_most_sensitive_nodes_stay_float_until_the_target_is_reached_and_no_more()
    {
        var calls = new List<IReadOnlyCollection<string>>();

        var result = AgreementSearch.Run(["c", "b", "a"], 0.98, Reference(), Classes, (nodes, rows) => Variant(nodes, rows, calls), _ => { }, CancellationToken.None);

        // a alone float leaves 4 flips (96%); a and b leave 1 (99% >= 98%).
        Assert.Equal(["a", "b"], result.Float);
        Assert.Equal(0.86, result.Before, 10);
        Assert.Equal(0.99, result.After, 10);
        Assert.Equal(Rows, result.Rows);
    }

    [Fact]
    public void A_target_int8_already_meets_keeps_nothing_float_and_ranks_nothing()
    {
        var calls = new List<IReadOnlyCollection<string>>();

        var result = AgreementSearch.Run(["a", "b", "c"], 0.86, Reference(), Classes, (nodes, rows) => Variant(nodes, rows, calls), _ => { }, CancellationToken.None);

        Assert.Empty(result.Float);
        Assert.Equal(0.86, result.After, 10);
        Assert.Single(calls);
    }

    [Fact]
    public void A_target_out_of_reach_with_all_but_one_node_float_is_bad_input_at_minAgreement()
    {
        var ex = Assert.Throws<StageException>(() =>
            AgreementSearch.Run(["a", "b", "c"], 1.0, Reference(), Classes, (nodes, rows) => Variant(nodes, rows, []), _ => { }, CancellationToken.None));

        Assert.Equal("minAgreement", ex.SettingsPath);
        Assert.Contains("86.00", ex.Message);
        Assert.Contains("99.00", ex.Message);
    }

    [Fact]
    public void Ranked_by_error_per_millisecond_a_cheap_float_node_goes_before_a_more_sensitive_costly_one()
    {
        // a removes the most error but costs 10 ms in float; b removes less at 0.1 ms; c costs nothing measurable.
        var cost = new Dictionary<string, double> { ["a"] = 10, ["b"] = 0.1, ["c"] = -1 };
        var calls = new List<IReadOnlyCollection<string>>();

        var result = AgreementSearch.Run(["a", "b", "c"], 0.895, Reference(), Classes, (nodes, rows) => Variant(nodes, rows, calls), n => (cost[n], 5.0), _ => { }, CancellationToken.None);

        // By error alone a (10 flips) would go float first and reach 96%; per millisecond b (3 flips for 0.1 ms)
        // and c (1 flip, at the floor of 1% of 5 ms) come first: b alone reaches 89%, b and c 90% >= 89.5%.
        Assert.Equal(["b", "c"], result.Float);
        Assert.Equal(0.90, result.After, 10);
    }
}
