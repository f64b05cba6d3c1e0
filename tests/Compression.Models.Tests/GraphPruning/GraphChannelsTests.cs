using Compression.Models.GraphPruning;
using Compression.Onnx.Proto;

namespace Compression.Models.Tests.GraphPruning;

public class GraphChannelsTests
{
    [Fact]
    public void A_spec_CNN_has_a_group_per_conv_and_hidden_linear_layer_and_the_logits_stay()
    {
        ModelProto model = PrunableGraphs.SpecCnn();

        GraphChannels channels = GraphChannels.Of(model, []);

        Assert.Equal([8, 16, 32], channels.Groups.Where(g => g.Prunable).Select(g => g.Channels).Order());
        GraphChannelGroup logits = Assert.Single(channels.Groups, g => g.Channels == 10);
        Assert.False(logits.Prunable);
        Assert.Contains("graph output", logits.FixedReason);
        // The first conv's channels reach the next conv's weight columns.
        GraphChannelGroup first = channels.Groups.Single(g => g.Channels == 8);
        Assert.Contains(first.Slices, s => s.Axis == 1 && s.Role == SliceRole.Weight && model.Graph.Initializer.Single(t => t.Name == s.Initializer).Dims.SequenceEqual([16L, 8, 3, 3]));
        // The second conv is flattened into the first linear layer: each channel is its 4 x 4 block of columns.
        GraphChannelGroup second = channels.Groups.Single(g => g.Channels == 16);
        ChannelSlice columns = Assert.Single(second.Slices, s => s.Block > 1);
        Assert.Equal(16, columns.Block);
        Assert.Equal(0, columns.Offset);
    }

    [Fact]
    public void An_Add_joins_the_residual_branches_into_one_group()
    {
        GraphChannels channels = GraphChannels.Of(PrunableGraphs.Residual(), []);

        GraphChannelGroup joined = Assert.Single(channels.Groups, g => g.Producers.Contains("stem"));
        Assert.Equal(["stem", "b"], joined.Producers);
        Assert.True(joined.Prunable);
        Assert.Same(joined, channels.GroupOf("b"));
        // The stream's channels reach a's input, b's output, and the head's columns.
        Assert.Contains(joined.Slices, s => s.Initializer == "a_w" && s.Axis == 1);
        Assert.Contains(joined.Slices, s => s.Initializer == "head_w" && s.Axis == 1);
        Assert.True(channels.GroupOf("a")!.Prunable);
        Assert.False(channels.GroupOf("head")!.Prunable);
    }

    [Fact]
    public void A_consumer_the_pruner_does_not_understand_leaves_the_group_whole()
    {
        GraphChannels channels = GraphChannels.Of(PrunableGraphs.UnknownConsumer(), []);

        GraphChannelGroup a = channels.GroupOf("a")!;
        Assert.False(a.Prunable);
        Assert.Contains("Softmax 'softmax'", a.FixedReason);
        // What comes after the unknown node starts afresh.
        Assert.True(channels.GroupOf("b")!.Prunable);
        Assert.DoesNotContain(channels.GroupOf("b")!.Slices, s => s.Initializer == "a_w");
    }

    [Fact]
    public void Concat_lines_groups_up_at_their_offsets_and_a_depthwise_conv_follows_them()
    {
        GraphChannels channels = GraphChannels.Of(PrunableGraphs.ConcatDepthwise(), []);

        GraphChannelGroup a = channels.GroupOf("a")!, b = channels.GroupOf("b")!;
        Assert.True(a.Prunable && b.Prunable);
        Assert.Contains(a.Slices, s => s.Initializer == "c_w" && s.Axis == 1 && s.Offset == 0);
        Assert.Contains(b.Slices, s => s.Initializer == "c_w" && s.Axis == 1 && s.Offset == 4);
        Assert.Contains(b.Slices, s => s.Initializer == "dw_w" && s.Axis == 0 && s.Offset == 4);
        Assert.Contains(b.Slices, s => s.Initializer == "dw_b" && s.Axis == 0 && s.Offset == 4);
        Assert.Null(channels.GroupOf("dw"));
    }

    [Fact]
    public void An_excluded_node_keeps_its_channels()
    {
        GraphChannels channels = GraphChannels.Of(PrunableGraphs.Residual(), ["a"]);

        Assert.Equal("node 'a' is excluded", channels.GroupOf("a")!.FixedReason);
        Assert.True(channels.GroupOf("stem")!.Prunable);
    }

    [Fact]
    public void A_weight_shared_by_two_convs_is_never_sliced()
    {
        ModelProto model = PrunableGraphs.Residual();
        // b reads a's weight too.
        NodeProto b = model.Graph.Node.Single(n => n.Name == "b");
        b.Input[1] = "a_w";
        model.Graph.Initializer.Remove(model.Graph.Initializer.Single(t => t.Name == "b_w"));

        GraphChannels channels = GraphChannels.Of(model, []);

        Assert.DoesNotContain(channels.Groups.Where(g => g.Prunable), g => g.Slices.Any(s => s.Initializer == "a_w"));
        Assert.False(channels.GroupOf("stem")!.Prunable);
    }
}
