using System.Globalization;
using Compression.Abstractions.Data;
using Compression.Abstractions.Stages;
using Compression.Models.Import;
using Compression.Models.Training;
using Compression.Onnx.Proto;
using Compression.Quantization.Qdq;
using Compression.Quantization.Ranges;
using static TorchSharp.torch;

namespace Compression.Plugins.Quantization;

/// <summary>
/// Quantization-aware fine-tuning (<see cref="QuantizeSettings.FineTune"/>): the float model is rewritten
/// with the int8 model's Q/DQ pairs but float weights (<see cref="QdqOptions.FakeQuantizedWeights"/>),
/// imported as a trainable module (its QuantizeLinear rounds with a straight-through gradient), trained to
/// reproduce the fp32 model's own logits on the train rows (mean squared error, no labels: the int8
/// model's job is to agree with the fp32 one), and the trained weights and biases are written back into
/// the float model by initializer name, which the rewriter then quantizes with the same ranges.
/// Post-training corrections only move means (bias correction); this moves the weights so the rounding
/// noise of every layer's inputs matters less, which is what a network whose error is spread over all its
/// layers needs (Jacob et al. 2018; Krishnamoorthi 2018, "Quantizing deep convolutional networks").
/// </summary>
internal static class QuantizationAwareTuning
{
    /// <summary>Fine-tunes <paramref name="model"/>'s weights in place; returns a sentence for the report.</summary>
    public static string Apply(
        ModelProto model, string fp32Path, IReadOnlyList<NodeProto> nodes, IReadOnlyList<NodeProto> passThrough, IReadOnlyDictionary<string, TensorRange> ranges,
        QdqOptions options, DataSplits data, FineTuneSettings settings, int seed, Action<string> progress, CancellationToken cancellationToken)
    {
        LabelledData rows = First(data.Train, settings.MaxRows);
        progress(string.Create(CultureInfo.InvariantCulture, $"fine-tune: the fp32 model's logits on {rows.Count:N0} train rows"));
        float[] targets = Models.Evaluation.ClassifierEvaluator.Logits(fp32Path, rows, data.ClassCount, cancellationToken);

        // The quantization-aware graph: the rewrite on a copy, weights left float behind Q/DQ pairs.
        ModelProto fake = QdqRewriter.ApplyToCopy(model, nodes, passThrough, ranges, options with { FakeQuantizedWeights = true }).Copy;
        using OnnxGraphModule module = Import(fake);
        using Tensor teacher = tensor(targets, [rows.Count, data.ClassCount]);
        double before = MeanSquaredError(module, rows, teacher, settings.BatchSize, cancellationToken);
        var training = new TrainingOptions
        {
            Epochs = settings.Epochs,
            BatchSize = settings.BatchSize,
            LearningRate = settings.LearningRate,
            Optimizer = "adam",
            Schedule = "cosine",
            Seed = seed,
        };
        var reporter = new EpochReportHandler(e => progress(string.Create(CultureInfo.InvariantCulture,
            $"fine-tune epoch {e.Epoch}/{e.Epochs}: logit error {e.TrainLoss:G4} (fp32 - fake-quantized, mean square), {e.Elapsed:m\\:ss} elapsed, ETA {e.Remaining:m\\:ss}")));
        SupervisedTrainer.Train(module, rows, EmptyLike(rows), training, (logits, batch) =>
        {
            using Tensor indices = tensor(batch.Rows);
            return nn.functional.mse_loss(logits, teacher.index_select(0, indices));
        }, reporter, cancellationToken, extras: new TrainingExtras { BatchProgress = new BatchReportHandler(b => progress($"fine-tune {b}")) });
        double after = MeanSquaredError(module, rows, teacher, settings.BatchSize, cancellationToken);

        int written = WriteBack(module, model);
        return string.Create(CultureInfo.InvariantCulture,
            $", quantization-aware fine-tuning ({settings.Epochs} epoch(s) on {rows.Count:N0} train rows, Adam {settings.LearningRate:G3}; {written} weight/bias tensors; logit mean squared error against fp32 on those rows {before:G3} -> {after:G3})");
    }

    private static OnnxGraphModule Import(ModelProto fake)
    {
        try
        {
            return new OnnxGraphModule(fake, "quantization_aware");
        }
        catch (UnsupportedOnnxOperatorException ex)
        {
            throw new StageException($"fineTune trains the model as an imported graph, and {ex.Message}; remove fineTune, or re-export the model with the ops docs/architecture.md lists (\"Importing ONNX graphs\")", "fineTune");
        }
    }

    /// <summary>Copies every trained parameter into the float initializer of the same name; returns how many.</summary>
    private static int WriteBack(OnnxGraphModule module, ModelProto model)
    {
        var byName = model.Graph.Initializer.Select((t, i) => (t, i)).ToDictionary(p => p.t.Name, p => p.i, StringComparer.Ordinal);
        int written = 0;
        foreach (string name in module.ParameterNames.Keys)
        {
            if (!byName.TryGetValue(name, out int position))
            {
                continue;
            }
            model.Graph.Initializer[position] = OnnxTensors.FloatProto(module.Initializer(name).cpu(), name);
            written++;
        }
        return written;
    }

    private static double MeanSquaredError(OnnxGraphModule module, LabelledData rows, Tensor teacher, int batchSize, CancellationToken cancellationToken)
    {
        module.eval();
        double sum = 0;
        using (no_grad())
        {
            for (int start = 0; start < rows.Count; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                int count = Math.Min(batchSize, rows.Count - start);
                Tensor output = module.forward(tensor(rows.Rows(start, count).ToArray(), [count, .. rows.SampleShape.Select(d => (long)d)]));
                sum += nn.functional.mse_loss(output, teacher.narrow(0, start, count), nn.Reduction.Sum).item<float>();
            }
        }
        return sum / ((double)rows.Count * teacher.shape[1]);
    }

    /// <summary>The first rows: a view when the split is read from disk, so streamed data stays on disk.</summary>
    private static LabelledData First(LabelledData data, int count) => count >= data.Count
        ? data
        : data.Take([.. Enumerable.Range(0, count)], hideLabels: false);

    private static LabelledData EmptyLike(LabelledData data) => new([], data.SampleShape, []);
}
