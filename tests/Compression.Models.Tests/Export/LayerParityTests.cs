using Compression.Abstractions.Data;
using Compression.Models.Training;
using Compression.Onnx;
using Compression.Onnx.Tests;
using static TorchSharp.torch;

namespace Compression.Models.Tests.Export;

/// <summary>
/// Every layer kind, exported, must give what TorchSharp gives (max |difference| &lt;= 1e-4 through
/// ONNX Runtime) and pass the ONNX project's own checker.
/// </summary>
public class LayerParityTests
{
    public static TheoryData<string, string> Layers => new()
    {
        { "linear", """{"input":[12],"layers":[{"type":"linear","out":5}]}""" },
        { "linear without bias", """{"input":[12],"layers":[{"type":"linear","out":5,"bias":false}]}""" },
        { "conv2d", """{"input":[2,9,9],"layers":[{"type":"conv2d","out":4,"kernel":3,"stride":2,"padding":1},{"type":"flatten"},{"type":"linear","out":3}]}""" },
        { "batchnorm 2d", """{"input":[3,6,6],"layers":[{"type":"batchnorm"},{"type":"flatten"},{"type":"linear","out":3}]}""" },
        { "batchnorm 1d", """{"input":[12],"layers":[{"type":"batchnorm"},{"type":"linear","out":3}]}""" },
        { "relu", """{"input":[12],"layers":[{"type":"linear","out":8},{"type":"relu"},{"type":"linear","out":3}]}""" },
        { "maxpool2d", """{"input":[2,8,8],"layers":[{"type":"maxpool2d","kernel":2},{"type":"flatten"},{"type":"linear","out":3}]}""" },
        { "avgpool2d", """{"input":[2,8,8],"layers":[{"type":"avgpool2d","kernel":2,"stride":2},{"type":"flatten"},{"type":"linear","out":3}]}""" },
        { "globalavgpool", """{"input":[4,5,5],"layers":[{"type":"globalavgpool"},{"type":"flatten"},{"type":"linear","out":3}]}""" },
        { "flatten", """{"input":[2,3,3],"layers":[{"type":"flatten"},{"type":"linear","out":3}]}""" },
        { "dropout", """{"input":[12],"layers":[{"type":"dropout","p":0.5},{"type":"linear","out":3}]}""" },
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Exported_layer_matches_TorchSharp_and_passes_the_checker(string name, string json)
    {
        ModelSpec spec = Specs.Parse(json);
        using SequentialModel model = ModelFactory.Create(spec, seed: 7);
        TrainBatchNormStatistics(model, spec);
        model.eval();

        int batch = 5;
        int sampleSize = spec.Input.Aggregate(1, (a, b) => a * b);
        var random = new Random(3);
        float[] input = Enumerable.Range(0, batch * sampleSize).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
        var data = new LabelledData(input, spec.Input, new int[batch]);
        float[] expected = ModelEvaluator.Logits(model, data);

        string path = Path.Combine(Path.GetTempPath(), $"parity-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExporter.Export(model, path);
            using var session = new OnnxInferenceSession(path);
            float[] actual = session.Run(input, batch);
            Assert.Equal(expected.Length, actual.Length);
            double max = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            Assert.True(max <= 1e-4, $"{name}: max |TorchSharp - ONNX Runtime| = {max}");
            OnnxChecker.AssertValid(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Moves BatchNorm's running statistics away from (0, 1), so the test would catch exporting the wrong ones.</summary>
    private static void TrainBatchNormStatistics(SequentialModel model, ModelSpec spec)
    {
        model.train();
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            model.forward((randn([16, .. spec.Input.Select(d => (long)d)]) * 3) + 1);
        }
    }
}
