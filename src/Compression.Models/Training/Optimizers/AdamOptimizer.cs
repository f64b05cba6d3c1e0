using Compression.Abstractions.Distillation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Models.Training.Optimizers;

/// <summary>
/// Adam (Kingma and Ba 2015) with PyTorch's defaults (betas 0.9 and 0.999, eps 1e-8): weight decay
/// added to the gradient, or, as AdamW (Loshchilov and Hutter 2019), applied to the weights directly.
/// </summary>
public sealed class AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate, double weightDecay, bool decoupledWeightDecay)
    : TrainingOptimizer(parameters, learningRate)
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    private readonly Dictionary<int, Moments> _moments = [];

    protected override void Update(int index, Parameter parameter, Tensor grad)
    {
        if (!_moments.TryGetValue(index, out Moments? moments))
        {
            moments = new Moments(State(parameter), State(parameter));
            _moments[index] = moments;
        }
        long step = ++moments.Steps;
        if (weightDecay != 0 && decoupledWeightDecay)
        {
            using Scalar keep = (1 - (LearningRate * weightDecay)).ToScalar();
            parameter.mul_(keep);
        }
        else if (weightDecay != 0)
        {
            using Scalar decay = weightDecay.ToScalar();
            grad = grad.add(parameter, decay);
        }
        using Scalar beta1 = Beta1.ToScalar();
        using Scalar oneMinusBeta1 = (1 - Beta1).ToScalar();
        using Scalar beta2 = Beta2.ToScalar();
        using Scalar oneMinusBeta2 = (1 - Beta2).ToScalar();
        moments.Mean.mul_(beta1).add_(grad, oneMinusBeta1);
        moments.Variance.mul_(beta2).addcmul_(grad, grad, oneMinusBeta2);

        double biasCorrection1 = 1 - Math.Pow(Beta1, step);
        double biasCorrection2 = 1 - Math.Pow(Beta2, step);
        using Scalar varianceCorrection = Math.Sqrt(biasCorrection2).ToScalar();
        using Scalar epsilon = Epsilon.ToScalar();
        Tensor denominator = moments.Variance.sqrt().div_(varianceCorrection).add_(epsilon, ScalarArithmetic.One);
        using Scalar stepSize = (-LearningRate / biasCorrection1).ToScalar();
        parameter.addcdiv_(moments.Mean, denominator, stepSize);
    }

    protected override void DisposeState()
    {
        foreach (Moments moments in _moments.Values)
        {
            moments.Mean.Dispose();
            moments.Variance.Dispose();
        }
        _moments.Clear();
    }

    /// <summary>A parameter's running averages of the gradient and its square, and its step count.</summary>
    private sealed class Moments(Tensor mean, Tensor variance)
    {
        public Tensor Mean { get; } = mean;

        public Tensor Variance { get; } = variance;

        public long Steps { get; set; }
    }
}
