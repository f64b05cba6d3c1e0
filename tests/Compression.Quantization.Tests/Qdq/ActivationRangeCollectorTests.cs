using Compression.Onnx;
using Compression.Quantization.Qdq;
using Compression.Quantization.Ranges;

namespace Compression.Quantization.Tests.Qdq;

public class ActivationRangeCollectorTests
{
    [Fact]
    public void A_dynamic_sequence_length_is_read_from_the_batch_so_every_token_is_calibrated()
    {
        // Input [batch, 2, length] as the text format's samples: a Relu whose range must see all of them.
        var builder = new OnnxGraphBuilder("tokens");
        builder.AddSymbolicInput("x", [null, 2, null], ["batch", "length"]);
        builder.AddNode("Relu", ["x"], ["y"], "Relu");
        builder.AddSymbolicOutput("y", [null, 2, null], ["batch", "length"]);
        var model = builder.Build("tests");
        const int count = 3, length = 5;
        var batch = new float[count * 2 * length];
        Array.Fill(batch, 0.5f);
        batch[^1] = 100; // the last token of the last sample's second row

        var ranges = ActivationRangeCollector.Collect(model, ["y"], [(batch, count)], CalibrationMethod.MinMax, null, CancellationToken.None);

        Assert.Equal(100f, ranges["y"].Max);
    }
}
