using System.Globalization;
using Compression.Abstractions.Data;
using Compression.Abstractions.Stages;
using Compression.Models.Evaluation;
using Compression.Onnx;
using Compression.Onnx.Proto;
using Compression.Quantization.Dynamic;
using Compression.Quantization.Graph;
using Compression.Quantization.Qdq;
using Compression.Quantization.Ranges;

namespace Compression.Plugins.Quantization;

/// <summary>What quantizing one model did: the method in words, and which nodes became int8 and which stayed float.</summary>
public sealed record QuantizationOutcome(string Method, IReadOnlyList<string> Quantized, IReadOnlyList<string> Float, string? Note);

/// <summary>
/// Quantizes one ONNX file into another with the stage's settings: static QDQ or dynamic. In static
/// mode it also decides what to do with shallow convolutions (see <see cref="QuantizeSettings.ShallowConvs"/>):
/// ONNX Runtime's int8 convolution pays an im2col cost per output pixel that a reduction over few
/// input values does not recoup (a 3x3 conv over a 1-channel image measured 7x slower in int8 than
/// in fp32), but keeping such a conv float can also cost more than it saves (a float conv followed by
/// MaxPool makes ONNX Runtime pool in uint8 NCHW, which is slow), so "auto" measures both.
/// </summary>
public static class ModelQuantizer
{
    /// <summary>A conv whose reduction depth (input channels × kernel area) is below this is shallow.</summary>
    public const int ShallowDepth = 32;

    /// <summary>Timed runs of each model when the agreement search measures what a float node costs.</summary>
    private const int LatencyIterations = 20;

    public static QuantizationOutcome Quantize(string input, string output, QuantizeSettings settings, DataSplits data, int seed, Action<string> progress, CancellationToken cancellationToken)
    {
        LabelledData calibration = data.Train;
        ModelProto model = OnnxModelFile.Read(input);
        CheckNotQuantized(model.Graph, input);
        CheckExcludedNodesExist(model.Graph, settings.Exclude);
        CheckDataFitsModel(model.Graph, calibration);
        RaiseOpset(model, input);
        var folded = BatchNormFolding.Apply(model);
        if (folded.Count > 0)
        {
            progress($"folded {folded.Count} BatchNormalization node(s) into the convolution before each");
        }
        if (settings.Mode == "dynamic")
        {
            return Dynamic(model, output, settings);
        }

        var candidates = QuantizableNodes.Find(model.Graph, settings.Exclude);
        Partition(model.Graph, candidates, "");
        var shallow = candidates.Where(IsShallowConv(model.Graph)).Select(n => n.Name).ToList();
        string[] floatShallowExclude = [.. settings.Exclude, .. shallow];
        bool onlyShallow = shallow.Count == candidates.Count;
        IReadOnlyList<string> exclude = settings.Exclude;
        string? note = null;
        IReadOnlyDictionary<string, TensorRange> ranges;
        if (shallow.Count == 0 || settings.ShallowConvs == "quantize" || (settings.ShallowConvs == "auto" && onlyShallow))
        {
            ranges = Calibrate(model, settings, calibration, progress, cancellationToken, settings.Exclude);
        }
        else if (settings.ShallowConvs == "float")
        {
            exclude = floatShallowExclude;
            ranges = Calibrate(model, settings, calibration, progress, cancellationToken, floatShallowExclude);
            note = $"Shallow convolutions kept float (shallowConvs \"float\"): {string.Join(", ", shallow.Select(n => $"Conv '{n}'"))}.";
        }
        else
        {
            ranges = Calibrate(model, settings, calibration, progress, cancellationToken, settings.Exclude, floatShallowExclude);
            (exclude, note) = TimeShallowConvs(model, output, settings, ranges, shallow, floatShallowExclude, calibration, progress, cancellationToken);
        }

        string tuned = "";
        if (settings.FineTune is FineTuneSettings tune)
        {
            var (tuneNodes, tunePassThrough) = Select(model, exclude);
            tuned = QuantizationAwareTuning.Apply(model, input, tuneNodes, tunePassThrough, ranges, Options(settings), data, tune, seed, progress, cancellationToken);
        }

        if (settings.MinAgreement is double target)
        {
            var search = SearchAgreement(input, model, output, settings, exclude, ranges, target, data, progress, cancellationToken);
            exclude = [.. exclude, .. search.Float];
            string found = search.Float.Count == 0
                ? $"int8 agreed with fp32 on {search.Before * 100:0.00}% of {search.Rows} held-out rows, at least the minAgreement of {target * 100:0.00}%, so no node was kept float for it."
                : $"To reach the minAgreement of {target * 100:0.00}% (top-1 agreement with fp32 on {search.Rows} held-out rows: {search.Before * 100:0.00}% fully quantized), {search.Float.Count} node(s) stay float, first-ranked first ({(settings.FloatRanking == "errorPerLatency" ? "most logit error removed per millisecond added" : "most logit error removed")}): {string.Join(", ", search.Float)}; agreement {search.After * 100:0.00}%.";
            note = note is null ? found : $"{note} {found}";
        }
        QuantizationOutcome outcome = Static(model, output, settings, exclude, ranges, calibration, cancellationToken);
        return outcome with { Method = outcome.Method + tuned, Note = note };
    }

    /// <summary>Quantizes with and without the shallow convolutions and keeps the exclude list of the one faster at batch 64.</summary>
    private static (IReadOnlyList<string> Exclude, string Note) TimeShallowConvs(
        ModelProto model, string output, QuantizeSettings settings, IReadOnlyDictionary<string, TensorRange> ranges, List<string> shallow, string[] floatShallowExclude,
        LabelledData calibration, Action<string> progress, CancellationToken cancellationToken)
    {
        string withShallow = output + ".all.onnx", withoutShallow = output + ".float-shallow.onnx";
        try
        {
            Static(model.Clone(), withShallow, settings, settings.Exclude, ranges, calibration, cancellationToken);
            Static(model.Clone(), withoutShallow, settings, floatShallowExclude, ranges, calibration, cancellationToken);
            progress("timing shallow convolutions int8 vs float");
            var (allMs, floatShallowMs) = SideBySide.MedianLatencies(withShallow, withoutShallow, calibration, Math.Min(64, calibration.Count), cancellationToken);
            bool keepFloat = floatShallowMs < allMs;
            string note = $"Shallow convolutions ({string.Join(", ", shallow.Select(n => $"Conv '{n}'"))}; fewer than {ShallowDepth} input values per output) were timed both ways at batch 64: " +
                $"{allMs:0.000} ms quantized vs {floatShallowMs:0.000} ms float, so they {(keepFloat ? "stay float" : "are quantized")} (shallowConvs \"auto\").";
            return (keepFloat ? floatShallowExclude : settings.Exclude, note);
        }
        finally
        {
            File.Delete(withShallow);
            File.Delete(withoutShallow);
        }
    }

    /// <summary>
    /// Runs <see cref="AgreementSearch"/> over the nodes the exclude list leaves quantized (named ones:
    /// only a name can be excluded), on the validation rows and then transfer rows.
    /// </summary>
    private static AgreementSearch.Result SearchAgreement(
        string input, ModelProto model, string output, QuantizeSettings settings, IReadOnlyList<string> exclude, IReadOnlyDictionary<string, TensorRange> ranges,
        double target, DataSplits data, Action<string> progress, CancellationToken cancellationToken)
    {
        var candidates = QuantizableNodes.Find(model.Graph, exclude).Select(n => n.Name).Where(n => n.Length > 0).ToList();
        LabelledData rows = HeldOutRows(data, settings.AgreementSamples);
        if (rows.Count == 0)
        {
            throw new StageException("minAgreement measures agreement on held-out rows, and there are none: give the data a validationFraction above 0 or a transfer split (train rows are not used: a model is surest of the rows it was fitted on)", "minAgreement");
        }
        string scratch = output + ".search.onnx";
        float[] Logits(string path, int count)
        {
            var subset = count == rows.Count ? rows : new LabelledData(rows.Rows(0, count).ToArray(), rows.SampleShape, rows.LabelRows(0, count).ToArray());
            try
            {
                return ClassifierEvaluator.Logits(path, subset, data.ClassCount, cancellationToken);
            }
            catch (InvalidDataException ex)
            {
                throw new StageException($"minAgreement compares a classifier's top-1 classes: {ex.Message}", "minAgreement");
            }
        }
        // The variant in the scratch file: ranking times the variant whose logits it has just measured, without quantizing it again.
        string? written = null;
        void Write(string[] variant, string path)
        {
            string key = string.Join('\n', variant);
            if (path == scratch && written == key)
            {
                return;
            }
            var variantRanges = HasRanges(model, variant, ranges) ? ranges : Calibrate(model, settings, data.Train, _ => { }, cancellationToken, variant);
            Static(model.Clone(), path, settings, variant, variantRanges, data.Train, cancellationToken);
            written = path == scratch ? key : written;
        }
        // The fully int8 variant is measured first, timed against each ranked node's and measured again after the
        // ranking: quantized once, into a file of its own that the scratch file's variants do not overwrite.
        string fullyQuantized = output + ".search-int8.onnx";
        bool fullyQuantizedWritten = false;
        string FullyQuantized()
        {
            if (!fullyQuantizedWritten)
            {
                Write([.. exclude], fullyQuantized);
                fullyQuantizedWritten = true;
            }
            return fullyQuantized;
        }
        float[] VariantLogits(IReadOnlyCollection<string> floatNodes, int count)
        {
            if (floatNodes.Count == 0)
            {
                return Logits(FullyQuantized(), count);
            }
            Write([.. exclude, .. floatNodes], scratch);
            return Logits(scratch, count);
        }
        (double Added, double Int8) AddedLatency(string node)
        {
            string int8Path = FullyQuantized();
            Write([.. exclude, node], scratch);
            var (int8, withFloat) = AlternatingLatency.Medians(int8Path, scratch, rows.Rows(0, 1).ToArray(), 1, warmup: 3, iterations: LatencyIterations, cancellationToken);
            return (withFloat - int8, int8);
        }
        bool byLatency = settings.FloatRanking == "errorPerLatency";
        progress($"searching for the fewest of {candidates.Count} node(s) to keep float for minAgreement {target * 100:0.00}% (ranked by {(byLatency ? "logit error removed per millisecond added" : "logit error")})");
        try
        {
            return AgreementSearch.Run(candidates, target, Logits(input, rows.Count), data.ClassCount, VariantLogits, byLatency ? AddedLatency : null, progress, cancellationToken);
        }
        finally
        {
            File.Delete(scratch);
            File.Delete(fullyQuantized);
        }
    }

    /// <summary>
    /// The validation split, then transfer rows, up to <paramref name="limit"/> rows. Never train rows: a
    /// model is sure of the samples it was fitted on, so int8 flips them far less often than new ones
    /// (ResNet-18 with a fitted head: 99.2% agreement on its 900 training images where test gave 96.1%).
    /// </summary>
    private static LabelledData HeldOutRows(DataSplits data, int limit)
    {
        int fromValidation = Math.Min(limit, data.Validation.Count);
        int fromTransfer = Math.Min(limit - fromValidation, data.Transfer.Count);
        float[] features = [.. data.Validation.Rows(0, fromValidation), .. data.Transfer.Rows(0, fromTransfer)];
        int[] labels = [.. data.Validation.LabelRows(0, fromValidation), .. data.Transfer.LabelRows(0, fromTransfer)];
        return new LabelledData(features, data.Validation.SampleShape, labels);
    }

    private static bool HasRanges(ModelProto model, IReadOnlyCollection<string> exclude, IReadOnlyDictionary<string, TensorRange> ranges)
    {
        var (nodes, passThrough) = Select(model, exclude);
        return QuantizableNodes.Activations(nodes, passThrough).All(ranges.ContainsKey);
    }

    /// <summary>
    /// Per-channel DequantizeLinear (static) and DynamicQuantizeLinear (dynamic) need opset 13 and 11;
    /// a model exported at an older opset (ML.NET's ResNet-18 is opset 8) is raised to 13 first.
    /// </summary>
    private static void RaiseOpset(ModelProto model, string path)
    {
        var obstacles = OnnxOpsetUpgrade.Obstacles(model, OnnxOpsetUpgrade.MaxTarget);
        if (obstacles.Count > 0)
        {
            throw new StageException(
                $"int8 quantization needs ONNX opset {OnnxOpsetUpgrade.MaxTarget}, and {Path.GetFileName(path)} is opset {OnnxOpsetUpgrade.DefaultOpset(model)} with operators that cannot be carried over: " +
                $"{string.Join("; ", obstacles)}. Re-export the model with opset {OnnxOpsetUpgrade.MaxTarget} or later (PyTorch: torch.onnx.export(..., opset_version={OnnxOpsetUpgrade.MaxTarget}))");
        }
        OnnxOpsetUpgrade.Upgrade(model, OnnxOpsetUpgrade.MaxTarget);
    }

    /// <summary>The nodes to rewrite and the pass-through nodes after them, for one exclude list.</summary>
    private static (IReadOnlyList<NodeProto> Nodes, IReadOnlyList<NodeProto> PassThrough) Select(ModelProto model, IReadOnlyCollection<string> exclude)
    {
        var nodes = QuantizableNodes.Find(model.Graph, exclude);
        return (nodes, QuantizableNodes.FollowingPassThrough(model.Graph, nodes));
    }

    /// <summary>Activation ranges for every tensor any of the given exclude lists would quantize, in one pass over the calibration batches.</summary>
    private static IReadOnlyDictionary<string, TensorRange> Calibrate(ModelProto model, QuantizeSettings settings, LabelledData calibration, Action<string> progress, CancellationToken cancellationToken, params IReadOnlyCollection<string>[] excludeLists)
    {
        var tensors = excludeLists.Select(exclude => Select(model, exclude)).SelectMany(s => QuantizableNodes.Activations(s.Nodes, s.PassThrough)).Distinct(StringComparer.Ordinal).ToList();
        IReadOnlyDictionary<string, TensorRange> ranges;
        try
        {
            ranges = ActivationRangeCollector.Collect(model, tensors, Batches(calibration, settings), settings.Calibrator, new CalibratorOptions(Percentile: settings.Percentile), cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            throw new StageException($"cannot calibrate the int8 model: {ex.Message}");
        }
        progress($"calibrated {ranges.Count} activation ranges ({settings.Calibrator})");
        return ranges;
    }

    private static QuantizationOutcome Static(
        ModelProto model, string output, QuantizeSettings settings, IReadOnlyCollection<string> exclude, IReadOnlyDictionary<string, TensorRange> ranges,
        LabelledData calibration, CancellationToken cancellationToken)
    {
        var (nodes, passThrough) = Select(model, exclude);
        var (quantized, kept) = Partition(model.Graph, nodes.Concat(passThrough), "");
        var options = Options(settings);
        string correction = "";
        if (settings.BiasCorrection)
        {
            var corrected = BiasCorrection.Apply(model, nodes, passThrough, ranges, options, Batches(calibration, settings), cancellationToken);
            correction = string.Create(CultureInfo.InvariantCulture, $", bias correction on {corrected.Corrected} Conv/Gemm node(s) (largest shift {corrected.LargestShift:G3})");
        }
        QdqRewriter.Apply(model, nodes, passThrough, ranges, options);
        OnnxModelFile.Write(model, output);
        string method = $"Static INT8 (QDQ), {settings.Calibrator} calibration on {settings.CalibrationBatches} x {settings.BatchSize} train samples, {(settings.PerChannel ? "per-channel" : "per-tensor")} weights, {settings.Activations} activations{correction}";
        return new QuantizationOutcome(method, quantized, kept, null);
    }

    private static QdqOptions Options(QuantizeSettings settings) => new(settings.Activations == "uint8", settings.PerChannel);

    private static QuantizationOutcome Dynamic(ModelProto model, string output, QuantizeSettings settings)
    {
        var nodes = QuantizableNodes.Find(model.Graph, settings.Exclude).Where(n => settings.DynamicConv || n.OpType != "Conv").ToList();
        var (quantized, kept) = Partition(model.Graph, nodes, settings.DynamicConv ? "" : "; dynamic mode leaves Conv float unless dynamicConv is true");
        DynamicRewriter.Apply(model, nodes, settings.PerChannel);
        OnnxModelFile.Write(model, output);
        string method = $"Dynamic INT8 (DynamicQuantizeLinear + {(settings.DynamicConv ? "MatMulInteger/ConvInteger" : "MatMulInteger")}), {(settings.PerChannel ? "per-channel" : "per-tensor")} weights, no calibration";
        return new QuantizationOutcome(method, quantized, kept, null);
    }

    private static (List<string> Quantized, List<string> Float) Partition(GraphProto graph, IEnumerable<NodeProto> nodes, string hint)
    {
        var quantized = nodes.Select(Describe).ToList();
        var kept = graph.Node.Select(Describe).Except(quantized).ToList();
        if (quantized.Count == 0)
        {
            throw new StageException($"the model has no node to quantize (Conv, Gemm with transB=1, or MatMul, with a float initializer weight{hint}); its nodes: {string.Join(", ", kept)}");
        }
        return (quantized, kept);
    }

    private static Func<NodeProto, bool> IsShallowConv(GraphProto graph) => node =>
    {
        if (node.OpType != "Conv")
        {
            return false;
        }
        TensorProto weight = graph.Initializer.First(t => t.Name == node.Input[1]);
        return weight.Dims.Skip(1).Aggregate(1L, (product, d) => product * d) < ShallowDepth;
    };

    private static string Describe(NodeProto node) => $"{node.OpType} '{node.Name}'";

    /// <summary>Ops only a quantized model has (QDQ, QOperator and dynamic forms).</summary>
    private static readonly HashSet<string> s_quantizedOps = ["QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear", "QLinearConv", "QLinearMatMul", "QLinearAdd", "QGemm", "MatMulInteger", "ConvInteger"];

    /// <summary>Quantizing an int8 model again would stack Q/DQ pairs on Q/DQ pairs (and ONNX Runtime refuses the duplicate names): the input must be the fp32 model.</summary>
    private static void CheckNotQuantized(GraphProto graph, string path)
    {
        if (graph.Node.FirstOrDefault(n => s_quantizedOps.Contains(n.OpType)) is NodeProto quantized)
        {
            throw new StageException(
                $"{Path.GetFileName(path)} is already quantized (node '{quantized.Name}' is a {quantized.OpType}, and {graph.Node.Count(n => s_quantizedOps.Contains(n.OpType))} node(s) like it): give the quantize stage the fp32 model it came from, or remove the stage");
        }
    }

    private static void CheckExcludedNodesExist(GraphProto graph, IReadOnlyList<string> exclude)
    {
        var names = graph.Node.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        foreach (string missing in exclude.Where(e => !names.Contains(e)))
        {
            throw new StageException($"no node is named '{missing}'; the model's nodes are: {string.Join(", ", graph.Node.Select(Describe))}", "exclude");
        }
    }

    /// <summary>Calibration and evaluation feed data rows to the model: their sample shape must be the model's input shape.</summary>
    private static void CheckDataFitsModel(GraphProto graph, LabelledData data)
    {
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        ValueInfoProto? input = graph.Input.FirstOrDefault(i => !initializers.Contains(i.Name));
        var dims = input?.Type?.TensorType?.Shape?.Dim.Skip(1).ToList();
        if (input is null || dims is null || dims.Any(d => d.DimValue <= 0))
        {
            return;
        }
        long expected = dims.Aggregate(1L, (product, d) => product * d.DimValue);
        if (expected != data.SampleSize)
        {
            throw new StageException($"the model's input '{input.Name}' takes samples of [{string.Join(", ", dims.Select(d => d.DimValue))}] ({expected} values) but the data's samples are [{string.Join(", ", data.SampleShape)}] ({data.SampleSize} values); calibration and evaluation need data of the model's input shape");
        }
    }

    private static IEnumerable<(float[] Batch, int Count)> Batches(LabelledData train, QuantizeSettings settings)
    {
        for (int b = 0; b < settings.CalibrationBatches && b * settings.BatchSize < train.Count; b++)
        {
            int count = Math.Min(settings.BatchSize, train.Count - (b * settings.BatchSize));
            yield return (train.Rows(b * settings.BatchSize, count).ToArray(), count);
        }
    }
}
