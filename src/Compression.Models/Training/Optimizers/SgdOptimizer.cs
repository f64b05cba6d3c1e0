using Compression.Abstractions.Distillation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Models.Training.Optimizers;

/// <summary>SGD with momentum (no dampening, no Nesterov) and L2 weight decay, as torch.optim.SGD.</summary>
public sealed class SgdOptimizer(IEnumerable<Parameter> parameters, double learningRate, double momentum, double weightDecay)
    : TrainingOptimizer(parameters, learningRate)
{
    private readonly Dictionary<int, Tensor> _buffers = [];

    protected override void Update(int index, Parameter parameter, Tensor grad)
    {
        if (weightDecay != 0)
        {
            using Scalar decay = weightDecay.ToScalar();
            grad = grad.add(parameter, decay);
        }
        if (momentum != 0)
        {
            if (_buffers.TryGetValue(index, out Tensor? buffer))
            {
                using Scalar factor = momentum.ToScalar();
                buffer.mul_(factor).add_(grad, ScalarArithmetic.One);
            }
            else
            {
                buffer = grad.clone().DetachFromDisposeScope();
                _buffers[index] = buffer;
            }
            grad = buffer;
        }
        using Scalar rate = (-LearningRate).ToScalar();
        parameter.add_(grad, rate);
    }

    protected override void DisposeState()
    {
        foreach (Tensor buffer in _buffers.Values)
        {
            buffer.Dispose();
        }
        _buffers.Clear();
    }
}
