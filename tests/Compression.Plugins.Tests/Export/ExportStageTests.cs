using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Metrics;
using Compression.Models;
using Compression.Onnx;
using Compression.Plugins.Export;

namespace Compression.Plugins.Tests.Export;

public class ExportStageTests
{
    [Fact]
    public async Task Export_writes_an_onnx_model_that_agrees_with_torchsharp()
    {
        using var harness = new StageHarness();
        var spec = StageHarness.Spec(StageHarness.StudentSpec);
        string folder = Path.Combine(harness.Folder, "student");
        using (var model = ModelFactory.Create(spec, 3))
        {
            TorchModelArtifact.Save(model, folder);
        }
        var context = harness.Context(StageHarness.Services(_ => { }), new Artifact(ArtifactKind.TorchModel, folder));
        var result = await new ExportStage().RunAsync(context, new ExportSettings(), CancellationToken.None);
        DescribedMetrics.AssertEveryReportedMetricWasDescribed(new ExportStage(), new ExportSettings(), result);

        var onnx = Assert.Single(result.Artifacts);
        Assert.Equal(ArtifactKind.OnnxModel, onnx.Kind);
        Assert.Equal(OnnxModelInfo.CountParameters(onnx.Path), result.Metrics.Single(m => m.Name == MetricNames.StudentParameters).Value);
        Assert.InRange(result.Metrics.Single(m => m.Name == "export.max_abs_diff").Value, 0, 1e-4);
    }
}
