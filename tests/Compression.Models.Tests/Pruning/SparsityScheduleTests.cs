using Compression.Models.Pruning;
using static TorchSharp.torch;

namespace Compression.Models.Tests.Pruning;

public class SparsityScheduleTests
{
    [Fact]
    public void The_cubic_ramp_prunes_most_early_and_ends_at_the_target()
    {
        // Zhu and Gupta 2017 with s_i = 0: s_t = s_f (1 - (1 - t/n)^3). For n = 4, s_f = 0.9:
        // 0.9 (1 - 27/64), 0.9 (1 - 1/8), 0.9 (1 - 1/64), 0.9.
        double[] sparsities = Enumerable.Range(1, 4).Select(t => SparsitySchedule.Sparsity(0.9, t, 4)).ToArray();

        Assert.Equal([0.5203125, 0.7875, 0.8859375, 0.9], sparsities.Select(s => Math.Round(s, 10)));
        Assert.Equal(0, SparsitySchedule.Sparsity(0.9, 0, 4));
        Assert.Equal(1, SparsitySchedule.Progress(1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SparsitySchedule.Progress(5, 4));
    }

    [Fact]
    public void Global_masks_rank_all_layers_together_and_layer_masks_each_layer_alone()
    {
        using SequentialModel model = ModelFactory.Create(Specs.Parse("""{"input":[2],"layers":[{"type":"linear","out":2,"bias":false,"name":"small"},{"type":"linear","out":2,"bias":false,"name":"large"}]}"""), 1);
        void Set()
        {
            using var noGrad = no_grad();
            model.Layers[0].state_dict()["weight"].copy_(tensor(new float[] { 0.1f, -0.2f, 0.3f, 0.4f }, [2, 2]));
            model.Layers[1].state_dict()["weight"].copy_(tensor(new float[] { 1, -2, 3, 4 }, [2, 2]));
        }

        Set();
        using (WeightMasks global = WeightMasks.Compute(model, 0.5, global: true, []))
        {
            global.Apply();
            Assert.Equal([("small", 4L, 4L), ("large", 4L, 0L)], global.Sparsities());
            Assert.Equal(0.5, global.Sparsity);
        }

        Set();
        using (WeightMasks perLayer = WeightMasks.Compute(model, 0.5, global: false, ["large"]))
        {
            perLayer.Apply();
            Assert.Equal([0f, 0f, 0.3f, 0.4f], model.Layers[0].state_dict()["weight"].data<float>().ToArray());
            Assert.Equal([1f, -2f, 3f, 4f], model.Layers[1].state_dict()["weight"].data<float>().ToArray());
        }
    }
}
