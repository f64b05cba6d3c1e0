using Compression.Onnx.Proto;

namespace Compression.Onnx.Tests;

public class InputTransformTests
{
    private static readonly float[] s_mean = [10f, -4f];
    private static readonly float[] s_std = [2f, 0.25f];

    [Fact]
    public void A_prepended_scale_gives_the_original_outputs_on_raw_input()
    {
        ModelProto model = TinyModels.GemmRelu();
        InputTransform.PrependScale(model, 0.5f);
        string path = TinyModels.WriteTemp(model);

        using var session = new OnnxInferenceSession(path);
        float[] raw = TinyModels.GemmReluInput.Select(v => v * 2).ToArray();

        Assert.All(TinyModels.GemmReluOutput.Zip(session.Run(raw, 2)), p => Assert.Equal(p.First, p.Second, 1e-5f));
        Assert.Equal("input", session.InputName);
        Assert.Equal(["Mul", "Gemm", "Relu"], model.Graph.Node.Select(n => n.OpType));
        Assert.Empty(model.Graph.Initializer.Single(t => t.Name == "input_scale").Dims);
        OnnxChecker.AssertValid(path);
    }

    [Fact]
    public void A_prepended_standardisation_subtracts_the_mean_and_divides_by_the_deviation_per_feature()
    {
        ModelProto model = TinyModels.GemmRelu();
        InputTransform.PrependStandardization(model, s_mean, s_std);
        string path = TinyModels.WriteTemp(model);

        using var session = new OnnxInferenceSession(path);
        float[] raw = TinyModels.GemmReluInput.Select((v, i) => (v * s_std[i % 2]) + s_mean[i % 2]).ToArray();
        float[] actual = session.Run(raw, 2);

        Assert.All(TinyModels.GemmReluOutput.Zip(actual), p => Assert.Equal(p.First, p.Second, 1e-5f));
        Assert.Equal("input", session.InputName);
        Assert.Equal(["Sub", "Div", "Gemm", "Relu"], model.Graph.Node.Select(n => n.OpType));
        Assert.Equal([1L, 2L], model.Graph.Initializer.Single(t => t.Name == "input_std").Dims);
        OnnxChecker.AssertValid(path);
    }

    /// <summary>
    /// The graph repeats the loader's float arithmetic ((x - mean) / std), so a quantized model's
    /// input lands in exactly the buckets it would after the loader: the logits are equal, not close.
    /// </summary>
    [Fact]
    public void A_quantized_calibrated_model_on_raw_input_gives_exactly_its_logits_on_the_input_standardised_in_float()
    {
        // Raw values whose normalised ones sit at the middle between two buckets (scale 0.05), where the least rounding difference shows.
        float[] mean = [10f, -4f];
        float[] std = [3f, 0.7f];
        float[] raw = Enumerable.Range(0, 600).Select(i => ((((i / 2) - 150) + 0.5f) * 0.05f * std[i % 2]) + mean[i % 2]).ToArray();
        float[] normalized = raw.Select((v, i) => (v - mean[i % 2]) / std[i % 2]).ToArray();
        ModelProto model = TinyModels.QuantizedCalibratedGemm();
        using var original = new OnnxInferenceSession(TinyModels.WriteTemp(model));
        float[] expected = original.Run(normalized, 300);

        InputTransform.PrependStandardization(model, mean, std);
        string path = TinyModels.WriteTemp(model);
        using var shipped = new OnnxInferenceSession(path);

        Assert.Equal(expected, shipped.Run(raw, 300));
        Assert.Equal("input", shipped.InputName);
        Assert.Equal("QuantizeLinear", model.Graph.Node[2].OpType);
        OnnxChecker.AssertValid(path);
    }

    [Fact]
    public void Vectors_of_the_wrong_length_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => InputTransform.PrependStandardization(TinyModels.GemmRelu(), [0f], [1f]));

        Assert.Contains("has samples of [2]; the mean and deviation have 1 and 1 values", error.Message);
    }

    [Fact]
    public void A_model_whose_input_is_not_float_is_refused()
    {
        ModelProto model = TinyModels.GemmRelu();
        model.Graph.Input[0].Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Uint8;

        var error = Assert.Throws<ArgumentException>(() => InputTransform.PrependScale(model, 0.5f));

        Assert.Contains("input is not a float tensor", error.Message);
    }
}
