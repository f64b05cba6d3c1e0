using Compression.Models.Pruning;
using static TorchSharp.torch;

namespace Compression.Models.Tests.Pruning;

public class ChannelImportanceTests
{
    private const string Json = """{"input":[3],"layers":[{"type":"linear","out":4,"bias":false},{"type":"batchnorm"},{"type":"relu"},{"type":"linear","out":2,"bias":false}]}""";

    /// <summary>Hand-made weights: unit 0 small, 1 large, 2 medium, 3 medium but spread out.</summary>
    private static SequentialModel HandMade()
    {
        SequentialModel model = ModelFactory.Create(Specs.Parse(Json), 1);
        using (no_grad())
        {
            model.Layers[0].state_dict()["weight"].copy_(tensor(new float[] { 0.1f, 0, 0, 3, 0, 0, 2, 0, 0, 1, 1, 0 }, [4, 3]));
            model.Layers[1].state_dict()["weight"].copy_(tensor(new float[] { 0.5f, 0.1f, 2, 1 }));
            model.Layers[3].state_dict()["weight"].copy_(tensor(new float[] { 0, 0, 0, 0, 0, 0, 0, 0 }, [2, 4]));
        }
        return model;
    }

    [Fact]
    public void L1_and_L2_rank_channels_by_every_weight_tied_to_them()
    {
        using SequentialModel model = HandMade();
        ChannelGraph graph = ChannelGraph.Of(model.Spec);
        int group = graph.Groups.Single(g => g.Prunable).Id;

        double[] l1 = ChannelImportance.Magnitude(model, graph, ImportanceCriterion.L1)[group];
        double[] l2 = ChannelImportance.Magnitude(model, graph, ImportanceCriterion.L2)[group];

        // Rows |0.1|, |3|, |2|, |1|+|1| plus the batchnorm scales 0.5, 0.1, 2, 1.
        Assert.Equal([0.6, 3.1, 4.0, 3.0], l1.Select(v => Math.Round(v, 5)));
        Assert.Equal([Math.Sqrt(0.26), Math.Sqrt(9.01), Math.Sqrt(8), Math.Sqrt(3)], l2.Select(v => v), new Tolerance(1e-5));
        // L2 favours one large weight over two medium ones, L1 does not.
        Assert.True(l2[1] > l2[3] && l1[1] > l1[3]);
        Assert.True(l2[3] < l2[2]);
    }

    [Fact]
    public void Batchnorm_scale_ranks_by_the_scale_alone_and_a_group_without_one_falls_back_to_L1()
    {
        using SequentialModel model = HandMade();
        ChannelGraph graph = ChannelGraph.Of(model.Spec);
        var fellBack = new HashSet<int>();

        double[] scale = ChannelImportance.Magnitude(model, graph, ImportanceCriterion.BatchNormScale, fellBack).Values.Single();

        Assert.Equal([0.5, 0.1, 2, 1], scale.Select(v => Math.Round(v, 5)));
        Assert.Empty(fellBack);

        using SequentialModel plain = ModelFactory.Create(Specs.Parse("""{"input":[3],"layers":[{"type":"linear","out":4},{"type":"linear","out":2}]}"""), 1);
        ChannelGraph plainGraph = ChannelGraph.Of(plain.Spec);
        ChannelImportance.Magnitude(plain, plainGraph, ImportanceCriterion.BatchNormScale, fellBack);
        Assert.Single(fellBack);
    }

    [Fact]
    public void The_allocator_keeps_the_most_important_channels()
    {
        using SequentialModel model = HandMade();
        ChannelGraph graph = ChannelGraph.Of(model.Spec);
        ChannelGroup group = graph.Groups.Single(g => g.Prunable);
        var scores = ChannelImportance.Magnitude(model, graph, ImportanceCriterion.L1);

        ChannelSelection selection = ChannelAllocator.Allocate(model.Spec, graph, scores,
            new PruningTarget("flops", null, SpecCost.Flops(model.Spec), new Dictionary<int, int> { [group.Id] = 2 }));

        Assert.Equal([1, 2], selection.Kept(group));
    }

    [Fact]
    public void Taylor_importance_is_the_squared_sum_of_weight_times_gradient()
    {
        using SequentialModel model = ModelFactory.Create(Specs.Parse("""{"input":[2],"layers":[{"type":"linear","out":3,"bias":false},{"type":"linear","out":1,"bias":false}]}"""), 1);
        using (no_grad())
        {
            model.Layers[0].state_dict()["weight"].copy_(tensor(new float[] { 1, 0, 0, 2, 1, 1 }, [3, 2]));
            model.Layers[1].state_dict()["weight"].copy_(tensor(new float[] { 1, 0.5f, -1 }, [1, 3]));
        }
        ChannelGraph graph = ChannelGraph.Of(model.Spec);
        var taylor = new TaylorImportance(model, graph);
        using Tensor input = tensor(new float[] { 1, 1 }, [1, 2]);
        model.forward(input).sum().backward();
        taylor.Accumulate();

        // Hidden units h = (1, 2, 2); y = h0 + 0.5 h1 - h2. For each unit, the sum of w * dy/dw over its
        // row (w * v_j * x) and its column (v_j * h_j) is 2 * v_j * h_j: (2, 2, -4), squared (4, 4, 16).
        double[] scores = taylor.Scores[graph.Groups.Single(g => g.Prunable).Id];
        Assert.Equal([4, 4, 16], scores.Select(v => Math.Round(v, 4)));
    }

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(double obj) => 0;
    }
}
