using Compression.Models.GraphPruning;
using Compression.Models.Pruning;
using Compression.Onnx;
using Compression.Onnx.Proto;

namespace Compression.Models.Tests.GraphPruning;

public class GraphPrunerTests
{
    public static TheoryData<string> Graphs => new() { "spec-cnn", "residual", "concat-depthwise", "unknown-consumer" };

    private static ModelProto Graph(string name) => name switch
    {
        "spec-cnn" => PrunableGraphs.SpecCnn(),
        "residual" => PrunableGraphs.Residual(),
        "concat-depthwise" => PrunableGraphs.ConcatDepthwise(),
        _ => PrunableGraphs.UnknownConsumer(),
    };

    [Theory]
    [MemberData(nameof(Graphs))]
    public void Nothing_pruned_gives_the_same_outputs(string name)
    {
        ModelProto model = Graph(name);
        GraphChannels channels = GraphChannels.Of(model, []);
        float[] input = PrunableGraphs.Input(model, batch: 3, seed: 1);

        ModelProto same = GraphPruner.Prune(model, channels, new Dictionary<int, int[]>());

        Assert.Equal(PrunableGraphs.CheckAndRun(model, input, 3), PrunableGraphs.CheckAndRun(same, input, 3));
    }

    /// <summary>
    /// Channels whose producers' weights are zero contribute nothing, so removing them must not change the
    /// outputs: this checks every slice (rows, columns, blocks of flattened columns, offsets after a Concat,
    /// a depthwise conv's group) lines up with the channel it belongs to.
    /// </summary>
    [Theory]
    [MemberData(nameof(Graphs))]
    public void Removing_channels_that_carry_nothing_keeps_the_outputs_and_the_graph_valid(string name)
    {
        ModelProto model = Graph(name);
        GraphChannels channels = GraphChannels.Of(model, []);
        var kept = new Dictionary<int, int[]>();
        foreach (GraphChannelGroup group in channels.Groups.Where(g => g.Prunable))
        {
            // Drop channel 1 and the last one.
            int[] dropped = [1, group.Channels - 1];
            foreach (int channel in dropped)
            {
                model = PrunableGraphs.ZeroChannel(model, group, channel);
            }
            kept[group.Id] = [.. Enumerable.Range(0, group.Channels).Except(dropped)];
        }
        float[] input = PrunableGraphs.Input(model, batch: 4, seed: 2);

        ModelProto pruned = GraphPruner.Prune(model, channels, kept);

        Assert.NotEmpty(kept);
        float[] expected = PrunableGraphs.CheckAndRun(model, input, 4);
        float[] actual = PrunableGraphs.CheckAndRun(pruned, input, 4);
        Assert.True(PrunableGraphs.MaxDifference(expected, actual) <= 1e-5, $"max |difference| {PrunableGraphs.MaxDifference(expected, actual)}");
        Assert.True(OnnxModelInfo.CountParameters(pruned) < OnnxModelInfo.CountParameters(model));
    }

    [Fact]
    public void The_depthwise_conv_gets_its_new_group_count()
    {
        ModelProto model = PrunableGraphs.ConcatDepthwise();
        GraphChannels channels = GraphChannels.Of(model, []);

        ModelProto pruned = GraphPruner.Prune(model, channels, new Dictionary<int, int[]> { [channels.GroupOf("a")!.Id] = [0, 2], [channels.GroupOf("b")!.Id] = [1, 3, 5] });

        NodeProto dw = pruned.Graph.Node.Single(n => n.Name == "dw");
        Assert.Equal(5, dw.Attribute.Single(a => a.Name == "group").I);
        Assert.Equal([5L, 1, 3, 3], pruned.Graph.Initializer.Single(t => t.Name == "dw_w").Dims);
        Assert.Equal([5L, 5, 3, 3], pruned.Graph.Initializer.Single(t => t.Name == "c_w").Dims);
    }

    [Fact]
    public void A_fixed_group_cannot_lose_channels()
    {
        ModelProto model = PrunableGraphs.UnknownConsumer();
        GraphChannels channels = GraphChannels.Of(model, []);

        var error = Assert.Throws<ArgumentException>(() => GraphPruner.Prune(model, channels, new Dictionary<int, int[]> { [channels.GroupOf("a")!.Id] = [0] }));

        Assert.Contains("Softmax", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void The_allocator_meets_a_FLOPs_target_measured_on_the_edited_graph(int roundTo)
    {
        ModelProto model = PrunableGraphs.SpecCnn();
        GraphChannels channels = GraphChannels.Of(model, []);
        long before = OnnxFlops.Count(model)!.Value;
        var scores = GraphImportance.Scores(model, channels, ImportanceCriterion.L1, null);

        var kept = GraphChannelAllocator.Allocate(model, channels, scores, new PruningTarget("flops", 0.6, before, new Dictionary<int, int>()) { RoundTo = roundTo });
        ModelProto pruned = GraphPruner.Prune(model, channels, kept);

        long after = OnnxFlops.Count(pruned)!.Value;
        Assert.InRange(after, 1, (long)(0.6 * before));
        Assert.All(kept.Values, k => Assert.Equal(0, k.Length % roundTo));
        // The kept channels are the most important ones.
        foreach ((int id, int[] channelsKept) in kept)
        {
            double[] score = scores[id];
            Assert.True(channelsKept.Min(c => score[c]) >= Enumerable.Range(0, score.Length).Except(channelsKept).Max(c => score[c]));
        }
        PrunableGraphs.CheckAndRun(pruned, PrunableGraphs.Input(model, 2, 3), 2);
    }

    [Fact]
    public void A_target_out_of_reach_says_how_far_it_gets()
    {
        ModelProto model = PrunableGraphs.UnknownConsumer();
        GraphChannels channels = GraphChannels.Of(model, []);
        var scores = GraphImportance.Scores(model, channels, ImportanceCriterion.L1, null);

        var error = Assert.Throws<PruningTargetException>(() => GraphChannelAllocator.Allocate(model, channels, scores, new PruningTarget("flops", 0.05, OnnxFlops.Count(model)!.Value, new Dictionary<int, int>())));

        Assert.Contains("cannot be reached", error.Message);
        Assert.Contains("channel groups are prunable", error.Message);
    }

    [Fact]
    public void L1_importance_sums_the_producers_rows_and_the_consumers_columns()
    {
        ModelProto model = PrunableGraphs.Residual();
        GraphChannels channels = GraphChannels.Of(model, []);
        GraphChannelGroup a = channels.GroupOf("a")!;
        float[] aw = FloatInitializers.Values(model.Graph.Initializer.Single(t => t.Name == "a_w"));
        float[] bw = FloatInitializers.Values(model.Graph.Initializer.Single(t => t.Name == "b_w"));

        double[] scores = GraphImportance.Scores(model, channels, ImportanceCriterion.L1, null)[a.Id];

        // a_w [8, 8, 3, 3]: channel 2's row; b_w [8, 8, 3, 3]: channel 2's column.
        double expected = Enumerable.Range(2 * 72, 72).Sum(i => Math.Abs((double)aw[i]))
            + Enumerable.Range(0, 8).SelectMany(o => Enumerable.Range((o * 72) + (2 * 9), 9)).Sum(i => Math.Abs((double)bw[i]));
        Assert.Equal(expected, scores[2], 4);
    }
}
