using System.Diagnostics;
using Compression.Abstractions.Data;
using Compression.Data.Batching;
using TorchSharp;
using static TorchSharp.torch;

namespace Compression.Models.Training;

/// <summary>
/// Mini-batch training with a pluggable loss: the teacher's plain cross entropy and every
/// distillation method run through this one loop. Seeded (weights by the caller's factory, shuffles
/// by epoch), each step in its own dispose scope so memory stays flat, cancellable between batches.
/// </summary>
public static class SupervisedTrainer
{
    public static TrainingSummary Train(
        SequentialModel model, LabelledData train, LabelledData validation, TrainingOptions options,
        LossFunction loss, IProgress<EpochReport>? progress, CancellationToken cancellationToken)
    {
        if (!TrainingOptions.Optimizers.Contains(options.Optimizer) || !TrainingOptions.Schedules.Contains(options.Schedule))
        {
            throw new ArgumentException($"optimizer must be one of {string.Join(", ", TrainingOptions.Optimizers)} and schedule one of {string.Join(", ", TrainingOptions.Schedules)}");
        }
        torch.manual_seed(options.Seed);
        using var optimizer = CreateOptimizer(model, options);
        int stepsPerEpoch = Batches.Count(train.Count, options.BatchSize);
        int totalSteps = Math.Max(1, stepsPerEpoch * options.Epochs);
        var clock = Stopwatch.StartNew();
        double lastLoss = double.NaN;
        double validationAccuracy = 0;
        int step = 0;

        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            model.train();
            double lossSum = 0;
            int batches = 0;
            foreach (ReadOnlyMemory<int> rows in Batches.Shuffled(train.Count, options.BatchSize, options.Seed, epoch))
            {
                cancellationToken.ThrowIfCancellationRequested();
                SetLearningRate(optimizer, options, step++, totalSteps, epoch);
                using var scope = NewDisposeScope();
                var (features, labels) = BatchTensors.Gather(train, rows.Span);
                long[] indices = rows.ToArray().Select(r => (long)r).ToArray();
                optimizer.zero_grad();
                Tensor value = loss(model.forward(features), labels, indices);
                value.backward();
                optimizer.step();
                lossSum += value.item<float>();
                batches++;
            }
            lastLoss = lossSum / Math.Max(batches, 1);
            validationAccuracy = validation.Count > 0 ? ModelEvaluator.Accuracy(model, validation) : double.NaN;
            TimeSpan remaining = clock.Elapsed / (epoch + 1) * (options.Epochs - epoch - 1);
            progress?.Report(new EpochReport(epoch + 1, options.Epochs, lastLoss, validationAccuracy, clock.Elapsed, remaining));
        }
        model.eval();
        return new TrainingSummary(options.Epochs, lastLoss, validationAccuracy, clock.Elapsed);
    }

    private static optim.Optimizer CreateOptimizer(SequentialModel model, TrainingOptions options) => options.Optimizer switch
    {
        "sgd" => optim.SGD(model.parameters(), options.LearningRate, momentum: options.Momentum, weight_decay: options.WeightDecay),
        "adamw" => optim.AdamW(model.parameters(), options.LearningRate, weight_decay: options.WeightDecay),
        _ => optim.Adam(model.parameters(), options.LearningRate, weight_decay: options.WeightDecay),
    };

    private static void SetLearningRate(optim.Optimizer optimizer, TrainingOptions options, int step, int totalSteps, int epoch)
    {
        double rate = options.Schedule switch
        {
            "cosine" => options.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * step / totalSteps)),
            "step" => options.LearningRate * (epoch >= options.Epochs * 3 / 4 ? 0.01 : epoch >= options.Epochs / 2 ? 0.1 : 1),
            _ => options.LearningRate,
        };
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = rate;
        }
    }
}
