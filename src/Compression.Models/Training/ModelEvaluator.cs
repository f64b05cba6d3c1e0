using Compression.Abstractions.Data;
using static TorchSharp.torch;

namespace Compression.Models.Training;

/// <summary>Evaluates a model (a <see cref="SequentialModel"/> or any module, such as an imported ONNX graph) in TorchSharp, in eval mode and without gradients.</summary>
public static class ModelEvaluator
{
    public static double Accuracy(nn.Module<Tensor, Tensor> model, LabelledData data, int batchSize = 256)
    {
        bool[] correct = Correct(model, data, batchSize);
        return correct.Length == 0 ? 0 : (double)correct.Count(c => c) / correct.Length;
    }

    /// <summary>Per sample: whether the model's top-1 class is its label (false for unlabelled samples).</summary>
    public static bool[] Correct(nn.Module<Tensor, Tensor> model, LabelledData data, int batchSize = 256)
    {
        if (data.Count == 0)
        {
            return [];
        }
        float[] logits = Logits(model, data, batchSize);
        int classes = logits.Length / data.Count;
        var correct = new bool[data.Count];
        for (int i = 0; i < data.Count; i++)
        {
            correct[i] = Evaluation.ClassifierEvaluator.ArgMax(logits.AsSpan(i * classes, classes)) == data.Labels[i];
        }
        return correct;
    }

    /// <summary>Row-major logits [count, outputs].</summary>
    public static float[] Logits(nn.Module<Tensor, Tensor> model, LabelledData data, int batchSize = 256)
    {
        bool wasTraining = model.training;
        model.eval();
        var result = new List<float>();
        using (no_grad())
        {
            for (int start = 0; start < data.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(batchSize, data.Count - start);
                Tensor output = model.forward(BatchTensors.Slice(data, start, count));
                result.AddRange(output.contiguous().data<float>().ToArray());
            }
        }
        model.train(wasTraining);
        return [.. result];
    }
}
