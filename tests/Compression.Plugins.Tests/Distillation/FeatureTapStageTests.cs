using System.Text.Json;
using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Distillation;
using Compression.Abstractions.Stages;
using Compression.Models.Export;
using Compression.Models;
using Compression.Onnx;
using Compression.Plugins.Distillation;
using Compression.Plugins.Distillation.Features;
using Microsoft.Extensions.DependencyInjection;
using static TorchSharp.torch;

namespace Compression.Plugins.Tests.Distillation;

/// <summary>Taps and adapters through the distill stage, on the harness's teacher (tensors named by the exporter).</summary>
public class FeatureTapStageTests
{
    // The harness teacher's hidden activation: the exporter names an unnamed layer's output "layer{i}_{kind}".
    private const string TeacherHidden = "layer1_relu";

    private const string NamedStudent = """{"input":[6],"layers":[{"type":"linear","out":4,"name":"hidden"},{"type":"relu","name":"act"},{"type":"linear","out":3}]}""";

    private static readonly IServiceProvider s_services = StageHarness.Services(s =>
    {
        s.AddSingleton<IDistillationMethod, HintonKdMethod>();
        s.AddSingleton<IDistillationMethod, FitNetsMethod>();
        s.AddSingleton<IDistillationMethod, RelationalKdMethod>();
        s.AddSingleton<IDistillationMethod, AttentionTransferMethod>();
        s.AddSingleton<IDistillationMethod, MismatchedAdapterMethod>();
    });

    private static DistillSettings Settings(string method, string teacherTap = TeacherHidden, string studentTap = "act") => new()
    {
        Student = JsonDocument.Parse(NamedStudent).RootElement,
        Method = method,
        Epochs = 2,
        BatchSize = 32,
        LearningRate = 0.01,
        Taps = [new TapSettings { Student = studentTap, Teacher = teacherTap }],
    };

    [Theory]
    [InlineData("offline")]
    [InlineData("online")]
    public async Task FitNets_trains_its_adapter_with_the_student_saves_it_beside_the_weights_and_never_exports_it(string mode)
    {
        using var harness = new StageHarness();
        var settings = Settings("fitnets");
        settings.TeacherMode = mode;
        StageResult result = await new DistillStage().RunAsync(harness.Context(s_services), settings, CancellationToken.None);

        string folder = Assert.Single(result.Artifacts).Path;
        string adapters = Path.Combine(folder, AdapterSet.FileName);
        Assert.True(File.Exists(adapters));
        // The file holds the run's 4 -> 32 regressor (its training is tested in SupervisedTrainerTests).
        var tap = new TapShape(0, new FeatureTap("act", TeacherHidden), [4], [32]);
        using var saved = new AdapterSet([tap]);
        saved.ChannelMap("hint0", tap);
        saved.load(adapters);
        Assert.Equal([32L, 4L], saved.parameters().Single().shape);

        using var student = TorchModelArtifact.Load(folder);
        string onnx = Path.Combine(harness.Folder, $"student-{mode}.onnx");
        OnnxExporter.Export(student, onnx);
        var model = OnnxModelFile.Read(onnx);
        Assert.Equal(student.ParameterCount, model.Graph.Initializer.Sum(i => i.Dims.Aggregate(1L, (a, b) => a * b)));
        Assert.DoesNotContain(model.Graph.Initializer, i => i.Name.Contains("hint", StringComparison.Ordinal));

        Assert.Contains("| epoch | hard | soft | hint |", result.ReportMarkdown);
        Assert.Contains(harness.Progress, p => p.Message.Contains("(hard ", StringComparison.Ordinal) && p.Message.Contains(", hint ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rkd_runs_on_vector_embeddings_of_different_widths()
    {
        using var harness = new StageHarness();
        StageResult result = await new DistillStage().RunAsync(harness.Context(s_services), Settings("rkd"), CancellationToken.None);
        Assert.Contains("| epoch | hard | soft | distance | angle |", result.ReportMarkdown);
        Assert.False(File.Exists(Path.Combine(Assert.Single(result.Artifacts).Path, AdapterSet.FileName)));
    }

    [Fact]
    public void A_student_tap_that_names_no_layer_is_a_settings_error_listing_the_names()
    {
        var error = Assert.Single(new DistillStage().Validate(Settings("fitnets", studentTap: "nope"), s_services));
        Assert.Equal("taps[0].student", error.Path);
        Assert.Contains("named layers: hidden, act", error.Message);
    }

    [Fact]
    public async Task A_teacher_tap_that_names_no_tensor_is_bad_input_listing_the_tensors()
    {
        using var harness = new StageHarness();
        var error = await Assert.ThrowsAsync<StageException>(() => new DistillStage().RunAsync(harness.Context(s_services), Settings("fitnets", teacherTap: "conv9"), CancellationToken.None));
        Assert.Equal("taps[0].teacher", error.SettingsPath);
        Assert.Contains("no tensor \"conv9\"", error.Message);
        Assert.Contains("layer0_linear, layer1_relu", error.Message);
    }

    [Fact]
    public async Task An_adapter_whose_output_does_not_match_the_teacher_feature_is_bad_input_at_the_tap()
    {
        using var harness = new StageHarness();
        var error = await Assert.ThrowsAsync<StageException>(() => new DistillStage().RunAsync(harness.Context(s_services), Settings("mismatched"), CancellationToken.None));
        Assert.Equal("taps[0]", error.SettingsPath);
        Assert.Contains("into [5]", error.Message);
        Assert.Contains("is [32]", error.Message);
    }

    [Fact]
    public async Task Attention_on_vector_features_is_bad_input_at_the_tap()
    {
        using var harness = new StageHarness();
        var error = await Assert.ThrowsAsync<StageException>(() => new DistillStage().RunAsync(harness.Context(s_services), Settings("attention"), CancellationToken.None));
        Assert.Equal("taps[0]", error.SettingsPath);
    }

    [Fact]
    public void Taps_with_Born_Again_generations_are_refused()
    {
        var settings = Settings("fitnets");
        settings.Generations = 2;
        Assert.Contains(new DistillStage().Validate(settings, s_services), e => e.Path == "taps");
    }

    [Fact]
    public async Task A_logit_method_ignores_taps_it_does_not_read()
    {
        using var harness = new StageHarness();
        StageResult result = await new DistillStage().RunAsync(harness.Context(s_services), Settings("kd"), CancellationToken.None);
        Assert.Contains("| epoch | hard | soft |", result.ReportMarkdown);
    }

    /// <summary>A method whose adapter maps the student's 4 values to 5, where the teacher has 32.</summary>
    private sealed class MismatchedAdapterMethod : IDistillationMethod
    {
        public string Name => "mismatched";

        public string Description => "test";

        public IReadOnlyList<SettingsError> Validate(DistillationOptions options) => [];

        public void Setup(DistillationSetup setup) => setup.Adapters.Add("wrong", nn.Linear(4, 5), tap: 0);

        public Tensor Loss(DistillationBatch batch, DistillationOptions options) => batch.HardLabelLoss();
    }
}
