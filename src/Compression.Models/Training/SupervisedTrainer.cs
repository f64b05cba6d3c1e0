using System.Diagnostics;
using Compression.Abstractions.Data;
using Compression.Data.Batching;
using Compression.Models.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Compression.Models.Training;

/// <summary>
/// Mini-batch training with a pluggable loss: the teacher's plain cross entropy and every
/// distillation method run through this one loop. Seeded (weights by the caller's factory, shuffles
/// by epoch), each step in its own dispose scope so memory stays flat, cancellable between batches.
/// When some training samples have no label (<see cref="LabelledData.NoLabel"/>), the labelled ones
/// are spread evenly over each epoch's batches (<see cref="Batches.Spread"/>). A loss that is not
/// finite stops training with <see cref="TrainingDivergedException"/>. Convolutions run on libtorch's own
/// kernels, not oneDNN's (<see cref="OneDnnConvolutions"/>).
/// </summary>
public static class SupervisedTrainer
{
    /// <summary>Trains <paramref name="model"/> in place.</summary>
    /// <param name="model">The model, initialised by the caller (seeded): a <see cref="SequentialModel"/> (needed for taps) or any module, such as an imported ONNX graph.</param>
    /// <param name="train">Training rows; labels may be <see cref="LabelledData.NoLabel"/>.</param>
    /// <param name="validation">Rows whose accuracy is reported after each reported epoch (may be empty; see <see cref="IsReportedEpoch"/>).</param>
    /// <param name="options">Optimiser, schedule, epochs or steps, batch size, seed.</param>
    /// <param name="loss">The loss of a batch.</param>
    /// <param name="progress">Receives a report after each reported epoch (every epoch of a run of up to <see cref="MaxReportedEpochs"/>).</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    /// <param name="transform">Optional augmentation applied to each batch before the forward pass.</param>
    /// <param name="extras">Taps the loss reads and modules of its own that train with the model.</param>
    public static TrainingSummary Train(
        nn.Module<Tensor, Tensor> model, LabelledData train, LabelledData validation, TrainingOptions options,
        LossFunction loss, IProgress<EpochReport>? progress, CancellationToken cancellationToken, BatchTransform? transform = null, TrainingExtras? extras = null)
    {
        extras ??= new TrainingExtras();
        if (extras.Taps.Count > 0 && model is not SequentialModel)
        {
            throw new ArgumentException("taps read named layers of a SequentialModel; this model is not one", nameof(extras));
        }
        if (!TrainingOptions.Optimizers.Contains(options.Optimizer) || !TrainingOptions.Schedules.Contains(options.Schedule))
        {
            throw new ArgumentException($"optimizer must be one of {string.Join(", ", TrainingOptions.Optimizers)} and schedule one of {string.Join(", ", TrainingOptions.Schedules)}");
        }
        if (train.Count == 0)
        {
            throw new ArgumentException("there are no training samples", nameof(train));
        }
        OneDnnConvolutions.DisableUnlessIsaChosen();
        torch.manual_seed(options.Seed);
        using var optimizer = TrainingOptimizer.Create(model.parameters().Concat(extras.Modules.SelectMany(m => m.parameters())), options);
        int stepsPerEpoch = Batches.Count(train.Count, options.BatchSize);
        int totalSteps = Math.Max(1, options.Steps ?? stepsPerEpoch * options.Epochs);
        int epochs = (totalSteps + stepsPerEpoch - 1) / stepsPerEpoch;
        bool[] hasLabel = train.Labels.Select(l => l != LabelledData.NoLabel).ToArray();
        bool mixed = hasLabel.Contains(true) && hasLabel.Contains(false);
        var clock = Stopwatch.StartNew();
        double lastLoss = double.NaN;
        double validationAccuracy = 0;
        int step = 0;
        var termsPerEpoch = new List<IReadOnlyList<KeyValuePair<string, double>>>();
        TimeSpan lastBatchReport = TimeSpan.Zero;

        for (int epoch = 0; epoch < epochs; epoch++)
        {
            SetTraining(model, extras, true);
            var terms = new LossTermLog();
            double lossSum = 0;
            int batches = 0;
            var order = mixed
                ? Batches.Spread(hasLabel, options.BatchSize, options.Seed, epoch)
                : Batches.Shuffled(train.Count, options.BatchSize, options.Seed, epoch);
            foreach (ReadOnlyMemory<int> rows in order)
            {
                if (step == totalSteps)
                {
                    break;
                }
                cancellationToken.ThrowIfCancellationRequested();
                SetLearningRate(optimizer, options, step, totalSteps, epoch, epochs);
                using var scope = NewDisposeScope();
                var (features, labels) = BatchTensors.Gather(train, rows.Span);
                if (transform is not null)
                {
                    (features, labels) = transform(features, labels, step);
                }
                long[] indices = rows.ToArray().Select(r => (long)r).ToArray();
                optimizer.ZeroGrad();
                IReadOnlyDictionary<string, Tensor> tapped = new Dictionary<string, Tensor>();
                Tensor logits = extras.Taps.Count == 0 ? model.forward(features) : ((SequentialModel)model).Forward(features, extras.Taps, out tapped);
                Tensor value = loss(logits, new TrainingBatch(features, labels, indices, step) { Features = tapped, Terms = terms });
                float batchLoss = value.item<float>();
                if (!float.IsFinite(batchLoss))
                {
                    // Stop at once: a step on a NaN gradient makes every weight NaN, and the run would
                    // go on to export, quantize and report a broken model.
                    throw new TrainingDivergedException(epoch + 1, epochs, step, batchLoss, options.LearningRate);
                }
                value.backward();
                optimizer.Step();
                lossSum += batchLoss;
                batches++;
                step++;
                if (extras.BatchProgress is not null && batches < stepsPerEpoch && step < totalSteps && clock.Elapsed - lastBatchReport >= extras.BatchReportInterval)
                {
                    lastBatchReport = clock.Elapsed;
                    TimeSpan left = clock.Elapsed / step * (totalSteps - step);
                    extras.BatchProgress.Report(new BatchReport(epoch + 1, epochs, batches, stepsPerEpoch, lossSum / batches, clock.Elapsed, left));
                }
            }
            lastLoss = lossSum / Math.Max(batches, 1);
            termsPerEpoch.Add(terms.Means());
            SetTraining(model, extras, false);
            if (!IsReportedEpoch(epoch, epochs))
            {
                continue;
            }
            validationAccuracy = validation.Count > 0 ? ModelEvaluator.Accuracy(model, validation) : double.NaN;
            TimeSpan remaining = clock.Elapsed / (epoch + 1) * (epochs - epoch - 1);
            progress?.Report(new EpochReport(epoch + 1, epochs, lastLoss, validationAccuracy, clock.Elapsed, remaining) { Terms = termsPerEpoch[^1] });
        }
        SetTraining(model, extras, false);
        return new TrainingSummary(epochs, lastLoss, validationAccuracy, clock.Elapsed) { Steps = step, TermsPerEpoch = termsPerEpoch };
    }

    /// <summary>Most validations (and epoch reports) one run makes; see <see cref="IsReportedEpoch"/>.</summary>
    public const int MaxReportedEpochs = 20;

    /// <summary>
    /// Whether an epoch is validated and reported: every epoch of a run of at most
    /// <see cref="MaxReportedEpochs"/> epochs, else evenly spaced ones and always the last. A run on few
    /// labelled rows has many short epochs (1,000 rows at batch 64 make 16-step epochs, 288 of them in a
    /// step-matched baseline), and validating after each took longer than the training itself.
    /// </summary>
    public static bool IsReportedEpoch(int epoch, int epochs)
    {
        if (epochs <= MaxReportedEpochs || epoch == epochs - 1)
        {
            return true;
        }
        int every = (epochs + MaxReportedEpochs - 1) / MaxReportedEpochs;
        return (epoch + 1) % every == 0;
    }

    private static void SetTraining(nn.Module model, TrainingExtras extras, bool training)
    {
        model.train(training);
        foreach (nn.Module module in extras.Modules)
        {
            module.train(training);
        }
    }

    private static void SetLearningRate(TrainingOptimizer optimizer, TrainingOptions options, int step, int totalSteps, int epoch, int epochs)
    {
        double rate = options.Schedule switch
        {
            "cosine" => options.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * step / totalSteps)),
            "step" => options.LearningRate * (epoch >= epochs * 3 / 4 ? 0.01 : epoch >= epochs / 2 ? 0.1 : 1),
            _ => options.LearningRate,
        };
        optimizer.LearningRate = rate;
    }
}
