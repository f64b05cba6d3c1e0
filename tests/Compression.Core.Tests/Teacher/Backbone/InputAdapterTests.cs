using Compression.Core.AppModel;
using Compression.Core.Config;
using Compression.Core.Teacher.Backbone;
using Compression.Data.Loading;
using Compression.Onnx;
using Compression.Onnx.Proto;

namespace Compression.Core.Tests.Teacher.Backbone;

public sealed class InputAdapterTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A "backbone" that returns its [batch?, 3, 4, 4] input times one: what reaches it is what the adapter made.</summary>
    private static ModelProto PassThrough(long? batch, long opset = 17)
    {
        var builder = new OnnxGraphBuilder("pass");
        builder.AddInput("image", [batch, 3, 4, 4]);
        string one = builder.AddInitializer("one", [], [1f]);
        builder.AddNode("Mul", ["image", one], ["features"]);
        builder.AddOutput("features", [batch, 3, 4, 4]);
        return builder.Build("tests", opset);
    }

    private static InputContract Contract(string layout, int channels, int size, double scale, double[]? mean, double[]? std) =>
        InputContract.Parse(new ModelInputConfig { Layout = layout, Channels = channels, Size = [size, size], Scale = scale, Mean = mean?.ToList(), Std = std?.ToList() },
            JsonLocationIndex.Build("c.json", "{}"u8.ToArray()), "teacher.input");

    private float[] Run(ModelProto model, float[] input, int batch)
    {
        string path = Path.Combine(_folder.Path, $"{Guid.NewGuid():N}.onnx");
        OnnxModelFile.Write(model, path);
        using var session = new OnnxInferenceSession(path);
        return session.Run(input, batch);
    }

    [Fact]
    public void A_normalised_grayscale_2x2_sample_reaches_the_backbone_resized_repeated_and_normalised_as_declared()
    {
        ModelProto model = PassThrough(batch: 1);
        InputContract contract = Contract("NCHW", 3, 4, 1.0 / 255, [0.5, 0.4, 0.3], [0.25, 0.2, 0.1]);
        InputAdapter.Prepend(model, [1, 2, 2], InputNormalization.Scaled(1f / 255), contract);
        Assert.Equal([1L, 1, 2, 2], model.Graph.Input.Single(i => i.Name == "samples").Type.TensorType.Shape.Dim.Select(d => d.DimValue));

        float[] raw = [0, 100, 200, 255];
        float[] normalised = [.. raw.Select(v => v * (1f / 255))];
        float[] output = Run(model, normalised, 1);

        float[] rows = BilinearResize.Matrix(2, 4);
        double[] mean = [0.5, 0.4, 0.3];
        double[] std = [0.25, 0.2, 0.1];
        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < 4; y++)
            {
                for (int x = 0; x < 4; x++)
                {
                    double pixel = 0;
                    for (int i = 0; i < 2; i++)
                    {
                        for (int j = 0; j < 2; j++)
                        {
                            pixel += rows[(y * 2) + i] * rows[(x * 2) + j] * raw[(i * 2) + j];
                        }
                    }
                    double expected = ((pixel / 255) - mean[c]) / std[c];
                    Assert.Equal(expected, output[(c * 16) + (y * 4) + x], 4);
                }
            }
        }
    }

    [Fact]
    public void Standardised_data_is_undone_per_feature_and_a_dynamic_batch_stays_dynamic()
    {
        ModelProto model = PassThrough(batch: null);
        float[] mean = [.. Enumerable.Range(0, 48).Select(i => i * 0.5f)];
        float[] std = [.. Enumerable.Range(0, 48).Select(i => 1 + (i * 0.1f))];
        InputAdapter.Prepend(model, [3, 4, 4], InputNormalization.Standardized(mean, std), Contract("NCHW", 3, 4, 1, null, null));

        float[] raw = [.. Enumerable.Range(0, 96).Select(i => (float)i)];
        float[] standardised = [.. raw.Select((v, i) => (v - mean[i % 48]) / std[i % 48])];
        float[] output = Run(model, standardised, 2);

        Assert.Equal(raw.Length, output.Length);
        for (int i = 0; i < raw.Length; i++)
        {
            Assert.Equal(raw[i], output[i], 3);
        }
    }

    [Fact]
    public void Three_channels_cannot_become_one_and_an_nhwc_image_is_not_resized()
    {
        Assert.Throws<ArgumentException>(() => InputAdapter.Prepend(PassThrough(1), [2, 4, 4], InputNormalization.None, Contract("NCHW", 3, 4, 1, null, null)));
        var nhwc = Assert.Throws<ArgumentException>(() => InputAdapter.Prepend(PassThrough(1), [2, 2, 3], InputNormalization.None, Contract("NHWC", 3, 4, 1, null, null)));
        Assert.Contains("NCHW images", nhwc.Message);
    }

    [Fact]
    public void An_ir3_opset8_backbone_gets_its_constants_as_graph_inputs_and_still_loads()
    {
        ModelProto model = PassThrough(batch: 1, opset: 8);
        model.IrVersion = 3;
        foreach (TensorProto initializer in model.Graph.Initializer)
        {
            model.Graph.Input.Add(GraphEdit.ValueInfo(initializer.Name, initializer.Dims.Select(d => (long?)d).ToArray()));
        }
        InputAdapter.Prepend(model, [1, 2, 2], InputNormalization.Scaled(0.5f), Contract("NCHW", 3, 4, 1, [1], [2]));
        float[] output = Run(model, [0.5f, 0.5f, 0.5f, 0.5f], 1);
        Assert.All(output, v => Assert.Equal(0f, v, 5)); // (0.5 / 0.5 - 1) / 2
    }
}
