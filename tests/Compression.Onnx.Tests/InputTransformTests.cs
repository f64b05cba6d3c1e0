using Compression.Onnx.Proto;

namespace Compression.Onnx.Tests;

public class InputTransformTests
{
    [Fact]
    public void A_prepended_scale_gives_the_original_outputs_on_raw_input()
    {
        ModelProto model = TinyModels.GemmRelu();
        InputTransform.Prepend(model, [0f, 0f], [0.5f, 0.5f]);
        string path = TinyModels.WriteTemp(model);

        using var session = new OnnxInferenceSession(path);
        float[] raw = TinyModels.GemmReluInput.Select(v => v * 2).ToArray();

        Assert.Equal(TinyModels.GemmReluOutput, session.Run(raw, 2));
        Assert.Equal("input", session.InputName);
        OnnxChecker.AssertValid(path);
    }

    [Fact]
    public void A_prepended_standardisation_subtracts_the_mean_and_divides_by_the_deviation_per_feature()
    {
        float[] mean = [10f, -4f];
        float[] std = [2f, 0.25f];
        ModelProto model = TinyModels.GemmRelu();
        InputTransform.Prepend(model, mean, std.Select(s => 1 / s).ToArray());
        string path = TinyModels.WriteTemp(model);

        using var session = new OnnxInferenceSession(path);
        float[] raw = TinyModels.GemmReluInput.Select((v, i) => (v * std[i % 2]) + mean[i % 2]).ToArray();
        float[] actual = session.Run(raw, 2);

        Assert.All(TinyModels.GemmReluOutput.Zip(actual), p => Assert.Equal(p.First, p.Second, 1e-5f));
        Assert.Contains(model.Graph.Node, n => n.OpType == "Sub");
        OnnxChecker.AssertValid(path);
    }

    [Fact]
    public void Vectors_of_the_wrong_length_are_refused()
    {
        Assert.Throws<ArgumentException>(() => InputTransform.Prepend(TinyModels.GemmRelu(), [0f], [1f]));
    }
}
