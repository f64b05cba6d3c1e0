using Compression.Models.Import;
using Compression.Onnx;
using Compression.Onnx.Proto;
using static TorchSharp.torch;

namespace Compression.Models.Tests.Import;

/// <summary>What changes when an imported module trains: Dropout drops, BatchNormalization does not.</summary>
public class TrainingBehaviourTests
{
    [Fact]
    public void Dropout_is_the_identity_in_eval_mode_and_drops_with_its_ratio_in_training()
    {
        NodeProto ratio = new NodeProto { Name = "ratio", OpType = "Constant", Output = { "r" } }.Float("value_float", 0.25f);
        NodeProto dropout = new() { Name = "drop", OpType = "Dropout", Input = { "x", "r" }, Output = { "y" } };
        using var module = new OnnxGraphModule(TinyGraphs.Model(13, [ratio, dropout], [("x", [10000])], ["y"]));
        using Tensor x = ones(10000);

        module.eval();
        using (Tensor y = module.forward(x))
        {
            Assert.True(y.allclose(x, rtol: 0, atol: 0), "eval-mode Dropout changed its input");
        }

        module.train();
        manual_seed(1);
        using Tensor trained = module.forward(x);
        float[] values = trained.data<float>().ToArray();
        double dropped = values.Count(v => v == 0) / (double)values.Length;
        Assert.InRange(dropped, 0.22, 0.28);
        Assert.All(values.Where(v => v != 0), v => Assert.Equal(1 / 0.75f, v, 5));
    }

    [Fact]
    public void BatchNormalization_uses_its_running_statistics_while_training_and_keeps_them()
    {
        NodeProto bn = new() { Name = "bn", OpType = "BatchNormalization", Input = { "x", "scale", "bias", "mean", "var" }, Output = { "y" } };
        ModelProto model = TinyGraphs.Model(15, [bn], [("x", [4, 3, 2, 2])], ["y"],
            TinyGraphs.Weight("scale", [3], 1), TinyGraphs.Weight("bias", [3], 2), TinyGraphs.Weight("mean", [3], 3), OnnxTensors.FloatProto(full(3, 2f), "var"));
        using var module = new OnnxGraphModule(model);
        Assert.Equal(["bias", "scale"], module.named_parameters().Select(p => p.name).Order());
        Assert.Equal(["mean", "var"], module.named_buffers().Select(b => b.name).Order());
        using Tensor x = TinyGraphs.Input([4, 3, 2, 2], 4, scale: 5);

        module.eval();
        using Tensor inference = module.forward(x);
        module.train();
        using Tensor training = module.forward(x);
        using Tensor loss = training.sum();
        loss.backward();

        Assert.True(training.allclose(inference), "training-mode BatchNormalization did not use the running statistics");
        Assert.True(module.Initializer("mean").allclose(OnnxTensors.ToTensor(TinyGraphs.Weight("mean", [3], 3)), rtol: 0, atol: 0), "the running mean changed");
        Assert.NotNull(module.get_parameter("scale")!.grad);
    }
}
