using Compression.Models.Pruning;
using Compression.Models.Spec;

namespace Compression.Models.Tests.Pruning;

public class ChannelGraphTests
{
    private static ChannelGroup GroupProducedBy(ChannelGraph graph, params int[] path) =>
        graph.Groups.Single(g => g.Members.Any(m => m.Role == MemberRole.Output && m.Layer.Indices.SequenceEqual(path)));

    private static string Describe(ChannelGroup group) =>
        string.Join(" ", group.Members.Select(m => $"{m.Layer}:{m.Role}{(m.ColumnsPerChannel > 1 ? $"x{m.ColumnsPerChannel}" : "")}").Order(StringComparer.Ordinal));

    [Fact]
    public void A_conv_its_batchnorm_and_the_next_conv_form_one_group()
    {
        ModelSpec spec = Specs.Parse("""{"input":[3,8,8],"layers":[{"type":"conv2d","out":6,"kernel":3},{"type":"batchnorm"},{"type":"relu"},{"type":"conv2d","out":5,"kernel":3},{"type":"flatten"},{"type":"linear","out":2}]}""");
        ChannelGraph graph = ChannelGraph.Of(spec);

        ChannelGroup first = GroupProducedBy(graph, 0);
        Assert.Equal(6, first.Channels);
        Assert.True(first.Prunable);
        Assert.Equal("layers[0]:Output layers[1]:Norm layers[3]:Input", Describe(first));
        Assert.NotNull(graph.Groups.Single(g => g.Members.Any(m => m.Role == MemberRole.Input && m.Layer.Indices[0] == 0)).FixedReason);
        Assert.Contains("output", GroupProducedBy(graph, 5).FixedReason);
    }

    [Fact]
    public void A_flatten_into_a_linear_layer_makes_each_channel_several_input_columns()
    {
        ModelSpec spec = Specs.Parse("""{"input":[1,6,6],"layers":[{"type":"conv2d","out":4,"kernel":3,"padding":1},{"type":"maxpool2d","kernel":2},{"type":"flatten"},{"type":"linear","out":8},{"type":"relu"},{"type":"linear","out":3}]}""");
        ChannelGraph graph = ChannelGraph.Of(spec);

        Assert.Equal("layers[0]:Output layers[3]:Inputx9", Describe(GroupProducedBy(graph, 0)));
        Assert.Equal("layers[3]:Output layers[5]:Input", Describe(GroupProducedBy(graph, 3)));
    }

    [Fact]
    public void A_residual_add_ties_both_branches_to_the_same_channels()
    {
        ModelSpec spec = Specs.Parse("""{"input":[1,6,6],"layers":[{"type":"conv2d","out":4,"kernel":3,"padding":1},{"type":"residual","layers":[{"type":"conv2d","out":6,"kernel":3,"padding":1},{"type":"relu"},{"type":"conv2d","out":4,"kernel":3,"padding":1}]},{"type":"residual","layers":[{"type":"conv2d","out":4,"kernel":1}]},{"type":"flatten"},{"type":"linear","out":3}]}""");
        ChannelGraph graph = ChannelGraph.Of(spec);

        // The stem, both blocks' last convs and every reader of their sum: one group.
        ChannelGroup trunk = GroupProducedBy(graph, 0);
        Assert.Equal(
            "layers[0]:Output layers[1].layers[0]:Input layers[1].layers[2]:Output layers[2].layers[0]:Input layers[2].layers[0]:Output layers[4]:Inputx36",
            Describe(trunk));
        Assert.Same(trunk, GroupProducedBy(graph, 1, 2));
        // The block's inner channels are a group of their own.
        Assert.Equal("layers[1].layers[0]:Output layers[1].layers[2]:Input", Describe(GroupProducedBy(graph, 1, 0)));
    }

    [Fact]
    public void A_projection_reads_the_block_input_and_adds_to_the_body_output()
    {
        ModelSpec spec = Specs.Parse("""{"input":[10],"layers":[{"type":"linear","out":6},{"type":"residual","layers":[{"type":"linear","out":8},{"type":"relu"}]},{"type":"linear","out":3}]}""");
        ChannelGraph graph = ChannelGraph.Of(spec);

        Assert.Equal("layers[0]:Output layers[1].layers[0]:Input layers[1]:ProjectionInput", Describe(GroupProducedBy(graph, 0)));
        Assert.Equal("layers[1].layers[0]:Output layers[1]:ProjectionOutput layers[2]:Input", Describe(GroupProducedBy(graph, 1, 0)));
    }

    [Fact]
    public void A_depthwise_conv_keeps_its_input_group_and_a_grouped_conv_fixes_both_sides()
    {
        ModelSpec spec = Specs.Parse("""{"input":[2,6,6],"layers":[{"type":"conv2d","out":4,"kernel":1},{"type":"conv2d","out":4,"kernel":3,"groups":4},{"type":"batchnorm"},{"type":"conv2d","out":6,"kernel":1},{"type":"conv2d","out":6,"kernel":1,"groups":2},{"type":"flatten"},{"type":"linear","out":3}]}""");
        ChannelGraph graph = ChannelGraph.Of(spec);

        Assert.Equal("layers[0]:Output layers[1]:Depthwise layers[2]:Norm layers[3]:Input", Describe(GroupProducedBy(graph, 0)));
        ChannelGroup beforeGrouped = GroupProducedBy(graph, 3);
        Assert.False(beforeGrouped.Prunable);
        Assert.Contains("grouped conv", beforeGrouped.FixedReason);
    }

    [Fact]
    public void An_excluded_layer_keeps_its_channels()
    {
        ModelSpec spec = Specs.Parse("""{"input":[4],"layers":[{"type":"linear","out":6,"name":"keep"},{"type":"relu"},{"type":"linear","out":5},{"type":"linear","out":3}]}""");
        ChannelGraph graph = ChannelGraph.Of(spec, ["keep"]);

        Assert.Contains("'keep' is excluded", GroupProducedBy(graph, 0).FixedReason);
        Assert.True(GroupProducedBy(graph, 2).Prunable);
    }
}
