using System.Runtime.InteropServices;
using Compression.Abstractions.Artifacts;
using Compression.Models.Export;
using Compression.Models;
using Compression.Models.Training;
using Compression.Onnx;
using Compression.Onnx.Proto;
using Compression.Plugins.Quantization;
using Compression.Quantization.Ranges;

namespace Compression.Plugins.Tests.Quantization;

public class QuantizeStageTests
{
    /// <summary>A trained conv net on 6 features laid out as a 1x2x3 image, wide enough that weights dominate the file.</summary>
    private const string Spec = """{"input":[1,2,3],"layers":[{"type":"conv2d","out":32,"kernel":2,"padding":1},{"type":"relu"},{"type":"maxpool2d","kernel":2,"stride":1},{"type":"flatten"},{"type":"linear","out":256},{"type":"relu"},{"type":"linear","out":3}]}""";

    private static string TrainedModel(StageHarness harness)
    {
        var spec = StageHarness.Spec(Spec);
        var reshaped = new Abstractions.Data.LabelledData(harness.Data.Train.Features, [1, 2, 3], harness.Data.Train.Labels);
        using var model = ModelFactory.Create(spec, 2);
        SupervisedTrainer.Train(model, reshaped, new Abstractions.Data.LabelledData([], [1, 2, 3], []), new TrainingOptions { Epochs = 5, LearningRate = 0.01 }, Losses.CrossEntropy, null, CancellationToken.None);
        string path = Path.Combine(harness.Folder, "fp32.onnx");
        OnnxExporter.Export(model, path);
        return path;
    }

    private static Abstractions.Data.DataSplits AsImages(Abstractions.Data.DataSplits data)
    {
        Abstractions.Data.LabelledData Image(Abstractions.Data.LabelledData d) => new(d.Features, [1, 2, 3], d.Labels);
        return data with { Train = Image(data.Train), Validation = Image(data.Validation), Test = Image(data.Test) };
    }

    [Fact]
    public async Task Static_int8_keeps_accuracy_shrinks_the_file_and_places_QDQ_around_every_quantized_node()
    {
        using var harness = new StageHarness();
        string fp32 = TrainedModel(harness);
        var context = harness.Context(AsImages(harness.Data), StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, fp32));

        var result = await new QuantizeStage().RunAsync(context, new QuantizeSettings { CalibrationBatches = 4, ShallowConvs = "quantize" }, CancellationToken.None);

        var metrics = result.Metrics.ToDictionary(m => m.Name, m => m.Value);
        Assert.InRange(metrics["quantize.accuracy_drop_points"], -2, 2);
        Assert.True(metrics["quantize.size_ratio"] < 0.35, $"int8/fp32 size {metrics["quantize.size_ratio"]}");

        string int8 = Assert.Single(result.Artifacts).Path;
        Compression.Onnx.Tests.OnnxChecker.AssertValid(int8);
        ModelProto model = OnnxModelFile.Read(int8);
        var weights = model.Graph.Initializer.Where(t => t.Name.EndsWith("weight_q", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, weights.Count);
        Assert.All(weights, w => Assert.Equal((int)TensorProto.Types.DataType.Int8, w.DataType));
        Assert.All(model.Graph.Initializer.Where(t => t.Name.EndsWith("bias_q", StringComparison.Ordinal)), b => Assert.Equal((int)TensorProto.Types.DataType.Int32, b.DataType));
        Assert.DoesNotContain(model.Graph.Initializer, t => t.DataType == (int)TensorProto.Types.DataType.Float && t.Name.EndsWith(".weight", StringComparison.Ordinal));
        foreach (NodeProto node in model.Graph.Node.Where(n => n.OpType is "Conv" or "Gemm"))
        {
            Assert.All(node.Input.Where(i => i.Length > 0), i => Assert.Contains(model.Graph.Node, p => p.OpType == "DequantizeLinear" && p.Output[0] == i));
            // Quantized right after the node, or after the Relu that follows it (ONNX Runtime then drops the Relu).
            NodeProto consumer = model.Graph.Node.First(c => c.Input.Contains(node.Output[0]));
            string quantizedTensor = consumer.OpType == "Relu" ? consumer.Output[0] : node.Output[0];
            Assert.Contains(model.Graph.Node, c => c.OpType == "QuantizeLinear" && c.Input[0] == quantizedTensor);
        }
        Assert.Contains("Left in float: none", result.ReportMarkdown);
        Assert.InRange(metrics["quantize.int8_agreement"], 0.9, 1.0);
    }

    [Fact]
    public async Task A_minAgreement_int8_already_meets_is_measured_on_held_out_rows_and_keeps_every_node_quantized()
    {
        using var harness = new StageHarness();
        string fp32 = TrainedModel(harness);
        var context = harness.Context(AsImages(harness.Data), StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, fp32));

        var result = await new QuantizeStage().RunAsync(context, new QuantizeSettings { CalibrationBatches = 2, ShallowConvs = "quantize", MinAgreement = 0.5 }, CancellationToken.None);

        Assert.Matches(@"int8 agreed with fp32 on [0-9.]+% of \d+ held-out rows, at least the minAgreement of 50\.00%, so no node was kept float for it\.", result.ReportMarkdown);
        Assert.Contains("Left in float: none", result.ReportMarkdown);
    }

    [Fact]
    public async Task Quantization_aware_fine_tuning_brings_the_int8_model_closer_to_fp32_and_says_by_how_much()
    {
        // Ranges clipped at the 90th percentile of |x| give int8 a clear error for fine-tuning to reduce.
        var settings = new QuantizeSettings { CalibrationBatches = 2, ShallowConvs = "quantize", Calibrator = CalibrationMethod.Percentile, Percentile = 90, ShipInt8 = "always" };
        using var plainHarness = new StageHarness();
        var plain = await new QuantizeStage().RunAsync(
            plainHarness.Context(AsImages(plainHarness.Data), StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, TrainedModel(plainHarness))),
            settings, CancellationToken.None);
        using var tunedHarness = new StageHarness();
        settings.FineTune = new FineTuneSettings { Epochs = 3, LearningRate = 1e-3, BatchSize = 32 };
        var tuned = await new QuantizeStage().RunAsync(
            tunedHarness.Context(AsImages(tunedHarness.Data), StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, TrainedModel(tunedHarness))),
            settings, CancellationToken.None);

        var match = System.Text.RegularExpressions.Regex.Match(tuned.ReportMarkdown ?? "", @"quantization-aware fine-tuning \(3 epoch\(s\) on [0-9,]+ train rows, Adam 0\.001; (\d+) weight/bias tensors; logit mean squared error against fp32 on those rows ([0-9.eE+-]+) -> ([0-9.eE+-]+)\)");
        Assert.True(match.Success, tuned.ReportMarkdown);
        Assert.Equal("6", match.Groups[1].Value); // the conv and both linears, weight and bias each
        double before = double.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), after = double.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(after < before * 0.8, $"logit error {before:G3} -> {after:G3}");
        double Agreement(Abstractions.Stages.StageResult result) => result.Metrics.Single(m => m.Name == "quantize.int8_agreement").Value;
        Assert.True(Agreement(tuned) >= Agreement(plain), $"test agreement with fp32: {Agreement(plain):P1} plain, {Agreement(tuned):P1} fine-tuned");
        Assert.DoesNotContain("fine-tuning", plain.ReportMarkdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_minAgreement_search_times_each_candidate_float_against_the_fully_int8_model_by_default()
    {
        using var harness = new StageHarness();
        string fp32 = TrainedModel(harness);
        var context = harness.Context(AsImages(harness.Data), StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, fp32));
        // Ranges clipped at the median |x| make int8 disagree, so the search has to rank.
        var settings = new QuantizeSettings { CalibrationBatches = 1, ShallowConvs = "quantize", Calibrator = CalibrationMethod.Percentile, Percentile = 50, MinAgreement = 1.0 };

        try
        {
            await new QuantizeStage().RunAsync(context, settings, CancellationToken.None);
        }
        catch (Abstractions.Stages.StageException ex) when (ex.SettingsPath == "minAgreement")
        {
            // 100% may be out of reach; the ranking ran before that was known.
        }

        var ranking = harness.Progress.Select(p => p.Message).Where(m => m.Contains("sensitivity", StringComparison.Ordinal)).ToList();
        Assert.True(ranking.Count == 3, string.Join("\n", harness.Progress.Select(p => p.Message)));
        Assert.All(ranking, line => Assert.Matches(@"and the batch-1 latency [+-][0-9]+\.[0-9]{2} ms$", line));
        Assert.Contains(harness.Progress, p => p.Message.Contains("ranked by logit error removed per millisecond added", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MinAgreement_without_validation_or_transfer_rows_is_bad_input_at_its_field()
    {
        using var harness = new StageHarness();
        string fp32 = TrainedModel(harness);
        var data = AsImages(harness.Data);
        var context = harness.Context(data with { Validation = new Abstractions.Data.LabelledData([], [1, 2, 3], []) }, StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, fp32));

        var ex = await Assert.ThrowsAsync<Abstractions.Stages.StageException>(() =>
            new QuantizeStage().RunAsync(context, new QuantizeSettings { CalibrationBatches = 2, ShallowConvs = "quantize", MinAgreement = 0.99 }, CancellationToken.None));

        Assert.Equal("minAgreement", ex.SettingsPath);
        Assert.Contains("validationFraction", ex.Message);
    }

    [Fact]
    public async Task Excluded_nodes_stay_float_and_are_listed()
    {
        using var harness = new StageHarness();
        string fp32 = TrainedModel(harness);
        string gemm = OnnxModelFile.Read(fp32).Graph.Node.Last(n => n.OpType == "Gemm").Name;
        var context = harness.Context(AsImages(harness.Data), StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, fp32));

        var result = await new QuantizeStage().RunAsync(context, new QuantizeSettings { CalibrationBatches = 2, Exclude = [gemm] }, CancellationToken.None);

        Assert.Matches($"Left in float: [^\n]*Gemm '{gemm}'", result.ReportMarkdown);
        ModelProto model = OnnxModelFile.Read(Assert.Single(result.Artifacts).Path);
        NodeProto last = model.Graph.Node.Single(n => n.Name == gemm);
        Assert.Contains(model.Graph.Initializer, t => t.Name == last.Input[1] && t.DataType == (int)TensorProto.Types.DataType.Float);
    }

    [Fact]
    public async Task Dynamic_mode_quantizes_the_matrix_products_and_leaves_conv_float_by_default()
    {
        using var harness = new StageHarness();
        string fp32 = TrainedModel(harness);
        var context = harness.Context(AsImages(harness.Data), StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, fp32));

        var result = await new QuantizeStage().RunAsync(context, new QuantizeSettings { Mode = "dynamic" }, CancellationToken.None);

        string int8 = Assert.Single(result.Artifacts).Path;
        Compression.Onnx.Tests.OnnxChecker.AssertValid(int8);
        var ops = OnnxModelFile.Read(int8).Graph.Node.Select(n => n.OpType).ToList();
        Assert.Equal(2, ops.Count(o => o == "MatMulInteger"));
        Assert.Contains("Conv", ops);
        Assert.DoesNotContain("ConvInteger", ops);
        Assert.InRange(result.Metrics.Single(m => m.Name == "quantize.accuracy_drop_points").Value, -2, 2);
        Assert.Contains("Left in float: Conv 'Conv'", result.ReportMarkdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shallow_convolutions_are_timed_both_ways_and_the_choice_is_reported()
    {
        using var harness = new StageHarness();
        string fp32 = TrainedModel(harness);
        var context = harness.Context(AsImages(harness.Data), StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, fp32));

        var result = await new QuantizeStage().RunAsync(context, new QuantizeSettings { CalibrationBatches = 2 }, CancellationToken.None);

        // The 2x2 conv over one channel reads 4 values per output: shallow.
        Assert.Contains("Shallow convolutions (Conv 'Conv'", result.ReportMarkdown, StringComparison.Ordinal);
        Assert.Matches("so they (stay float|are quantized)", result.ReportMarkdown);
        Assert.Equal(["model.onnx"], Directory.GetFiles(context.OutputDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task The_teacher_is_quantized_and_measured_the_same_way_when_asked()
    {
        using var harness = new StageHarness();
        string fp32 = TrainedModel(harness);
        var context = harness.Context(StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, harness.Teacher.OnnxPath));

        var settings = new QuantizeSettings { CalibrationBatches = 2, QuantizeTeacher = true };
        var result = await new QuantizeStage().RunAsync(context, settings, CancellationToken.None);
        DescribedMetrics.AssertEveryReportedMetricWasDescribed(new QuantizeStage(), settings, result);

        Assert.Contains("| teacher int8 |", result.ReportMarkdown, StringComparison.Ordinal);
        Assert.Contains(result.Metrics, m => m.Name == "quantize.teacher.latency_ratio.batch64" && m.Value > 0);
        Assert.True(File.Exists(Path.Combine(context.OutputDirectory, "teacher.int8.onnx")));
        // 323 weights: quantization's scales and names outweigh the saving, and the report says so.
        Assert.True(result.Metrics.Single(m => m.Name == "quantize.size_ratio").Value > 1);
        Assert.Contains("The int8 file is larger than the fp32 one", result.ReportMarkdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_of_another_shape_than_the_model_input_is_a_clear_input_error()
    {
        using var harness = new StageHarness();
        string fp32 = TrainedModel(harness);
        // The model takes 1x2x3 images (6 values); these rows keep 3 of the 6 features.
        Abstractions.Data.LabelledData Narrow(Abstractions.Data.LabelledData d) =>
            new(d.Features.Where((_, i) => i % 6 < 3).ToArray(), [3], d.Labels);
        var data = harness.Data with { Train = Narrow(harness.Data.Train), Validation = Narrow(harness.Data.Validation), Test = Narrow(harness.Data.Test) };
        var context = harness.Context(data, StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, fp32));

        var error = await Assert.ThrowsAsync<Abstractions.Stages.StageException>(() => new QuantizeStage().RunAsync(context, new QuantizeSettings(), CancellationToken.None));

        Assert.Contains("takes samples of [1, 2, 3] (6 values) but the data's samples are [3] (3 values)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_excluded_node_that_does_not_exist_names_the_setting_and_the_real_nodes()
    {
        using var harness = new StageHarness();
        string fp32 = TrainedModel(harness);
        var context = harness.Context(AsImages(harness.Data), StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, fp32));

        var error = await Assert.ThrowsAsync<Abstractions.Stages.StageException>(() => new QuantizeStage().RunAsync(context, new QuantizeSettings { Exclude = ["conv1"] }, CancellationToken.None));

        Assert.Equal("exclude", error.SettingsPath);
        Assert.Contains("no node is named 'conv1'; the model's nodes are: Conv 'Conv'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_with_nothing_to_quantize_says_so_and_lists_its_nodes()
    {
        using var harness = new StageHarness();
        var builder = new OnnxGraphBuilder("relu-only");
        builder.AddInput("x", [null, 6]);
        builder.AddNode("Relu", ["x"], ["y"], "OnlyRelu");
        builder.AddOutput("y", [null, 6]);
        string path = Path.Combine(harness.Folder, "relu.onnx");
        OnnxModelFile.Write(builder.Build("tests"), path);
        var context = harness.Context(StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, path));

        var error = await Assert.ThrowsAsync<Abstractions.Stages.StageException>(() => new QuantizeStage().RunAsync(context, new QuantizeSettings(), CancellationToken.None));

        Assert.Contains("the model has no node to quantize", error.Message, StringComparison.Ordinal);
        Assert.Contains("Relu 'OnlyRelu'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_whose_output_is_not_one_score_per_class_is_an_input_error()
    {
        using var harness = new StageHarness();
        var builder = new OnnxGraphBuilder("four-outputs");
        builder.AddInput("x", [null, 6]);
        string weight = builder.AddInitializer("w", [4, 6], Enumerable.Range(0, 24).Select(i => i / 24f).ToArray());
        builder.AddNode("Gemm", ["x", weight], ["y"], "Gemm").Int("transB", 1);
        builder.AddOutput("y", [null, 4]);
        string path = Path.Combine(harness.Folder, "four.onnx");
        OnnxModelFile.Write(builder.Build("tests"), path);
        var context = harness.Context(StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, path));

        var error = await Assert.ThrowsAsync<Abstractions.Stages.StageException>(() => new QuantizeStage().RunAsync(context, new QuantizeSettings(), CancellationToken.None));

        Assert.StartsWith("quantization evaluates a classifier", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// x [N, 6] -> Gemm -> Softmax at opset 8, whose Softmax means "over the flattened row" and whose
    /// QDQ needs opset 13; <paramref name="withSize"/> adds a dangling Size node, an operator the opset
    /// upgrade does not know.
    /// </summary>
    private static string Opset8Model(StageHarness harness, bool withSize)
    {
        var random = new Random(3);
        var builder = new OnnxGraphBuilder("opset8");
        builder.AddInput("x", [null, 6]);
        string weight = builder.AddInitializer("w", [3, 6], [.. Enumerable.Range(0, 18).Select(_ => (float)(random.NextDouble() - 0.5))]);
        string bias = builder.AddInitializer("b", [3], [0.1f, -0.1f, 0f]);
        builder.AddNode("Gemm", ["x", weight, bias], ["scores"], "Gemm").Int("transB", 1);
        builder.AddNode("Softmax", ["scores"], ["y"], "Softmax");
        if (withSize)
        {
            builder.AddNode("Size", ["x"], ["count"], "size_1");
        }
        builder.AddOutput("y", [null, 3]);
        string path = Path.Combine(harness.Folder, "opset8.onnx");
        OnnxModelFile.Write(builder.Build("tests", opsetVersion: 8), path);
        return path;
    }

    [Fact]
    public async Task A_model_exported_at_opset_8_is_raised_to_13_and_quantized()
    {
        using var harness = new StageHarness();
        var context = harness.Context(StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, Opset8Model(harness, withSize: false)));

        var result = await new QuantizeStage().RunAsync(context, new QuantizeSettings { CalibrationBatches = 2, ShipInt8 = "always" }, CancellationToken.None);

        string int8 = Assert.Single(result.Artifacts).Path;
        Compression.Onnx.Tests.OnnxChecker.AssertValid(int8);
        Assert.Equal(13, OnnxOpsetUpgrade.DefaultOpset(OnnxModelFile.Read(int8)));
        Assert.True(result.Metrics.Single(m => m.Name == "quantize.accuracy_drop_points").Value is > -5 and < 5);
    }

    [Fact]
    public async Task Bias_correction_moves_the_biases_of_the_shipped_int8_model_and_says_so()
    {
        using var harness = new StageHarness();
        var plain = await new QuantizeStage().RunAsync(
            harness.Context(StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, Opset8Model(harness, withSize: false))),
            new QuantizeSettings { CalibrationBatches = 2, ShipInt8 = "always" }, CancellationToken.None);
        using var correctedHarness = new StageHarness();
        var corrected = await new QuantizeStage().RunAsync(
            correctedHarness.Context(StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, Opset8Model(correctedHarness, withSize: false))),
            new QuantizeSettings { CalibrationBatches = 2, ShipInt8 = "always", BiasCorrection = true }, CancellationToken.None);

        static int[] Bias(Abstractions.Stages.StageResult result) =>
            [.. MemoryMarshal.Cast<byte, int>(OnnxModelFile.Read(Assert.Single(result.Artifacts).Path).Graph.Initializer.Single(t => t.DataType == (int)TensorProto.Types.DataType.Int32).RawData.Span)];
        Assert.NotEqual(Bias(plain), Bias(corrected));
        Assert.Contains("bias correction on 1 Conv/Gemm node(s)", corrected.ReportMarkdown, StringComparison.Ordinal);
        Assert.DoesNotContain("bias correction", plain.ReportMarkdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_already_quantized_model_is_an_input_error_naming_a_quantized_node()
    {
        using var harness = new StageHarness();
        var first = await new QuantizeStage().RunAsync(
            harness.Context(AsImages(harness.Data), StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, TrainedModel(harness))),
            new QuantizeSettings { CalibrationBatches = 2, ShallowConvs = "quantize", ShipInt8 = "always" }, CancellationToken.None);
        string int8 = Path.Combine(harness.Folder, "already-int8.onnx");
        File.Copy(Assert.Single(first.Artifacts).Path, int8);
        var context = harness.Context(AsImages(harness.Data), StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, int8));

        var error = await Assert.ThrowsAsync<Abstractions.Stages.StageException>(() => new QuantizeStage().RunAsync(context, new QuantizeSettings { CalibrationBatches = 2 }, CancellationToken.None));

        Assert.Matches(@"already-int8\.onnx is already quantized \(node '[^']*' is a (QuantizeLinear|DequantizeLinear), and \d+ node\(s\) like it\): give the quantize stage the fp32 model", error.Message);
    }

    [Fact]
    public async Task A_model_at_an_old_opset_with_an_operator_the_upgrade_cannot_carry_is_an_input_error_naming_it()
    {
        using var harness = new StageHarness();
        var context = harness.Context(StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, Opset8Model(harness, withSize: true)));

        var error = await Assert.ThrowsAsync<Abstractions.Stages.StageException>(() => new QuantizeStage().RunAsync(context, new QuantizeSettings(), CancellationToken.None));

        Assert.Contains("int8 quantization needs ONNX opset 13, and opset8.onnx is opset 8", error.Message, StringComparison.Ordinal);
        Assert.Contains("node 'size_1' (Size)", error.Message, StringComparison.Ordinal);
        Assert.Contains("opset_version=13", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A 6-3 linear model: 21 weights, so quantization's scales and names outweigh the 4x saving.</summary>
    private static string TinyModel(StageHarness harness)
    {
        var spec = StageHarness.Spec("""{"input":[6],"layers":[{"type":"linear","out":3}]}""");
        using var model = ModelFactory.Create(spec, 2);
        SupervisedTrainer.Train(model, harness.Data.Train, harness.Data.Validation, new TrainingOptions { Epochs = 3, LearningRate = 0.01 }, Losses.CrossEntropy, null, CancellationToken.None);
        string path = Path.Combine(harness.Folder, "tiny.onnx");
        OnnxExporter.Export(model, path);
        return path;
    }

    /// <summary>
    /// The stage with the real measurement (accuracy, bytes) but given batch-64 latencies, int8 / fp32 =
    /// <paramref name="latencyRatio64"/>: a tiny model's timings are noise-sized, and a test must not depend on them.
    /// </summary>
    private static QuantizeStage MeasuringLatencyRatio(double latencyRatio64) =>
        new((fp32, int8, data, token) => SideBySide.Measure(fp32, int8, data, token) with { Fp32Batch64 = 1.0, Int8Batch64 = latencyRatio64 });

    [Fact]
    public async Task An_int8_model_larger_and_not_faster_than_fp32_is_not_shipped_and_the_stage_warns()
    {
        using var harness = new StageHarness();
        string fp32 = TinyModel(harness);
        var context = harness.Context(StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, fp32));

        var result = await MeasuringLatencyRatio(1.47).RunAsync(context, new QuantizeSettings { CalibrationBatches = 2 }, CancellationToken.None);

        var metrics = result.Metrics.ToDictionary(m => m.Name, m => m.Value);
        Assert.True(metrics["quantize.size_ratio"] > 1, $"int8/fp32 size {metrics["quantize.size_ratio"]}");
        Assert.Equal(1, metrics["quantize.kept_fp32"]);
        Assert.DoesNotContain(Abstractions.Metrics.MetricNames.StudentFp32Accuracy, metrics.Keys);
        string shipped = Assert.Single(result.Artifacts).Path;
        Assert.Equal(File.ReadAllBytes(fp32), File.ReadAllBytes(shipped));
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("CMP5010", warning.Code);
        Assert.Equal("shipInt8", warning.SettingsPath);
        Assert.Contains("Kept fp32", result.ReportMarkdown);
        Assert.Contains("1.47x its batch-64 latency", warning.Message);
        Assert.Equal(metrics["quantize.fp32_bytes"], metrics[Abstractions.Metrics.MetricNames.StudentModelBytes]);
    }

    [Fact]
    public async Task An_int8_model_larger_but_clearly_faster_than_fp32_ships_without_a_warning()
    {
        using var harness = new StageHarness();
        string fp32 = TinyModel(harness);
        var context = harness.Context(StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, fp32));

        var result = await MeasuringLatencyRatio(0.5).RunAsync(context, new QuantizeSettings { CalibrationBatches = 2 }, CancellationToken.None);

        Assert.Empty(result.Warnings);
        var metrics = result.Metrics.ToDictionary(m => m.Name, m => m.Value);
        Assert.True(metrics["quantize.size_ratio"] > 1, $"int8/fp32 size {metrics["quantize.size_ratio"]}");
        Assert.Equal(0, metrics["quantize.kept_fp32"]);
        Assert.Contains(Abstractions.Metrics.MetricNames.StudentFp32Accuracy, metrics.Keys);
        Assert.Contains(OnnxModelFile.Read(Assert.Single(result.Artifacts).Path).Graph.Node, n => n.OpType == "QuantizeLinear");
    }

    [Fact]
    public async Task Ship_int8_always_ships_the_int8_model_even_when_it_is_worse()
    {
        using var harness = new StageHarness();
        string fp32 = TinyModel(harness);
        var context = harness.Context(StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, fp32));

        var result = await MeasuringLatencyRatio(1.47).RunAsync(context, new QuantizeSettings { CalibrationBatches = 2, ShipInt8 = "always" }, CancellationToken.None);

        Assert.Empty(result.Warnings);
        Assert.Equal(0, result.Metrics.Single(m => m.Name == "quantize.kept_fp32").Value);
        Assert.Contains(OnnxModelFile.Read(Assert.Single(result.Artifacts).Path).Graph.Node, n => n.OpType == "QuantizeLinear");
    }

    [Theory]
    [InlineData(1.47, 1)]
    [InlineData(0.95, 1)]
    [InlineData(0.5, 0)]
    public async Task Ship_int8_when_faster_ships_fp32_when_int8_is_smaller_but_not_clearly_faster(double latencyRatio64, int keptFp32)
    {
        using var harness = new StageHarness();
        string fp32 = TrainedModel(harness);
        var context = harness.Context(AsImages(harness.Data), StageHarness.Services(_ => { }), new Artifact(ArtifactKind.OnnxModel, fp32));

        var result = await MeasuringLatencyRatio(latencyRatio64).RunAsync(context, new QuantizeSettings { CalibrationBatches = 2, ShipInt8 = "whenFaster" }, CancellationToken.None);

        var metrics = result.Metrics.ToDictionary(m => m.Name, m => m.Value);
        Assert.True(metrics["quantize.size_ratio"] < 1, $"int8/fp32 size {metrics["quantize.size_ratio"]}");
        Assert.Equal(keptFp32, metrics["quantize.kept_fp32"]);
        Assert.Equal(keptFp32 == 1 ? "CMP5010" : null, result.Warnings.SingleOrDefault()?.Code);
        Assert.Equal(keptFp32 == 1, File.ReadAllBytes(fp32).SequenceEqual(File.ReadAllBytes(Assert.Single(result.Artifacts).Path)));
    }

    [Theory]
    [InlineData(2.5, 1.47, true)]
    [InlineData(2.5, 0.95, true)]
    [InlineData(2.5, 0.85, false)]
    [InlineData(0.3, 1.2, false)]
    public void Int8_is_worse_when_larger_and_not_clearly_faster(double sizeRatio, double latencyRatio64, bool worse)
    {
        var measured = new SideBySide(0.9, 0.9, 1000, (long)(1000 * sizeRatio), 0.01, 0.01, 1.0, latencyRatio64);

        Assert.Equal(worse, QuantizeStage.IsWorse(measured));
    }
}
