using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Models.Training.Optimizers;

/// <summary>
/// An optimiser the trainer drives: SGD with momentum, Adam and AdamW, written here because
/// TorchSharp 0.107's own implementations pass implicitly converted scalars to native code (e.g.
/// <c>exp_avg.mul_(beta1)</c>), and a garbage collection during such a call frees the scalar while it
/// is read ("Unknown scalar type", issue 12; dotnet/TorchSharp#1434 is the upstream fix, not released).
/// Every number here becomes a <see cref="TorchSharp.Scalar"/> held by a <c>using</c> until the native
/// call returns. The update rules are PyTorch's (torch.optim.SGD, Adam, AdamW with their defaults).
/// </summary>
public abstract class TrainingOptimizer : IDisposable
{
    private bool _disposed;

    /// <summary>Creates the optimiser for <paramref name="parameters"/>.</summary>
    protected TrainingOptimizer(IEnumerable<Parameter> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = [.. parameters];
        LearningRate = learningRate;
    }

    /// <summary>The parameters updated by <see cref="Step"/>.</summary>
    protected IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The learning rate of the next step (the trainer's schedule sets it before each step).</summary>
    public double LearningRate { get; set; }

    /// <summary>Creates the optimiser named by <see cref="TrainingOptions.Optimizer"/>.</summary>
    public static TrainingOptimizer Create(IEnumerable<Parameter> parameters, TrainingOptions options) => options.Optimizer switch
    {
        "sgd" => new SgdOptimizer(parameters, options.LearningRate, options.Momentum, options.WeightDecay),
        "adamw" => new AdamOptimizer(parameters, options.LearningRate, options.WeightDecay, decoupledWeightDecay: true),
        _ => new AdamOptimizer(parameters, options.LearningRate, options.WeightDecay, decoupledWeightDecay: false),
    };

    /// <summary>Clears the gradients of every parameter.</summary>
    public void ZeroGrad()
    {
        foreach (Parameter parameter in Parameters)
        {
            using Tensor? grad = parameter.grad;
            grad?.zero_();
        }
    }

    /// <summary>Updates every parameter that has a gradient.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        for (int i = 0; i < Parameters.Count; i++)
        {
            using var scope = NewDisposeScope();
            Tensor? grad = Parameters[i].grad;
            if (grad is not null)
            {
                Update(i, Parameters[i], grad);
            }
        }
    }

    /// <summary>Updates parameter <paramref name="index"/> in place from its gradient (inside a dispose scope and no_grad).</summary>
    protected abstract void Update(int index, Parameter parameter, Tensor grad);

    /// <summary>A state tensor (zeros like the parameter) that outlives every step's dispose scope.</summary>
    protected static Tensor State(Parameter parameter) => zeros_like(parameter).DetachFromDisposeScope();

    /// <summary>Disposes the state tensors.</summary>
    protected abstract void DisposeState();

    public void Dispose()
    {
        if (!_disposed)
        {
            DisposeState();
            _disposed = true;
        }
        GC.SuppressFinalize(this);
    }
}
