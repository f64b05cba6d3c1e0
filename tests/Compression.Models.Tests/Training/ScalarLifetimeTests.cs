using Compression.Abstractions.Data;
using Compression.Models.Spec;
using Compression.Models.Training;
using Compression.Models.Training.Optimizers;

namespace Compression.Models.Tests.Training;

/// <summary>
/// TorchSharp frees a <c>Scalar</c>'s native memory in its finalizer, and an implicitly converted
/// scalar (<c>tensor * 0.5</c>, and most optimizer updates) is unreachable while the native call that
/// reads it is still running. A garbage collection in that window frees it mid-call: "Unknown scalar
/// type" or "Expected false to be true" (issue 12). These tests force collections continuously while
/// training: with TorchSharp's own Adam that failed within a few hundred steps.
/// </summary>
public class ScalarLifetimeTests
{
    private static LabelledData Blobs(int count, int seed)
    {
        var random = new Random(seed);
        var features = new float[count * 8];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % 3;
            for (int f = 0; f < 8; f++)
            {
                features[(i * 8) + f] = (float)((f % 3 == labels[i] ? 1.0 : -0.5) + (random.NextDouble() - 0.5));
            }
        }
        return new LabelledData(features, [8], labels);
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("adamw")]
    [InlineData("sgd")]
    public void Training_survives_garbage_collections_at_any_moment(string optimizer)
    {
        ModelSpec spec = Specs.Parse("""{"input":[8],"layers":[{"type":"linear","out":16},{"type":"relu"},{"type":"linear","out":3}]}""");
        using var pressure = new CollectionPressure();
        for (int run = 0; run < 3; run++)
        {
            using var model = ModelFactory.Create(spec, run);
            var options = new TrainingOptions { Epochs = 40, BatchSize = 8, LearningRate = 0.01, Optimizer = optimizer, WeightDecay = 0.01, Seed = run };
            var summary = SupervisedTrainer.Train(model, Blobs(200, run), Blobs(50, 9), options, Losses.CrossEntropy, null, CancellationToken.None);
            Assert.True(double.IsFinite(summary.FinalTrainLoss));
        }
    }

    [Fact]
    public void Adam_takes_the_same_steps_as_torchsharps_adam()
    {
        ModelSpec spec = Specs.Parse("""{"input":[8],"layers":[{"type":"linear","out":4},{"type":"relu"},{"type":"linear","out":3}]}""");
        using var ours = ModelFactory.Create(spec, 3);
        using var theirs = ModelFactory.Create(spec, 3);
        using var adam = new AdamOptimizer(ours.parameters(), 0.01, 0.001, decoupledWeightDecay: false);
        using var reference = TorchSharp.torch.optim.Adam(theirs.parameters(), 0.01, weight_decay: 0.001);
        LabelledData data = Blobs(32, 1);
        using var x = TorchSharp.torch.tensor(data.Features, [32, 8]);
        using var y = TorchSharp.torch.tensor(data.Labels.Select(l => (long)l).ToArray());
        for (int step = 0; step < 5; step++)
        {
            adam.ZeroGrad();
            TorchSharp.torch.nn.functional.cross_entropy(ours.forward(x), y).backward();
            adam.Step();
            reference.zero_grad();
            TorchSharp.torch.nn.functional.cross_entropy(theirs.forward(x), y).backward();
            reference.step();
        }
        foreach (var (a, b) in ours.parameters().Zip(theirs.parameters()))
        {
            Assert.True(a.allclose(b, rtol: 1e-5, atol: 1e-6), "parameters differ from TorchSharp's Adam after 5 steps");
        }
    }

    [Theory]
    [InlineData("adamw")]
    [InlineData("sgd")]
    public void Adamw_and_sgd_take_the_same_steps_as_torchsharps(string name)
    {
        ModelSpec spec = Specs.Parse("""{"input":[8],"layers":[{"type":"linear","out":4},{"type":"relu"},{"type":"linear","out":3}]}""");
        using var ours = ModelFactory.Create(spec, 3);
        using var theirs = ModelFactory.Create(spec, 3);
        var options = new TrainingOptions { Optimizer = name, LearningRate = 0.05, WeightDecay = 0.01, Momentum = 0.9 };
        using var optimizer = TrainingOptimizer.Create(ours.parameters(), options);
        using TorchSharp.Modules.OptimizerHelper reference = name == "sgd"
            ? TorchSharp.torch.optim.SGD(theirs.parameters(), 0.05, momentum: 0.9, weight_decay: 0.01)
            : TorchSharp.torch.optim.AdamW(theirs.parameters(), 0.05, weight_decay: 0.01);
        LabelledData data = Blobs(32, 1);
        using var x = TorchSharp.torch.tensor(data.Features, [32, 8]);
        using var y = TorchSharp.torch.tensor(data.Labels.Select(l => (long)l).ToArray());
        for (int step = 0; step < 5; step++)
        {
            optimizer.ZeroGrad();
            TorchSharp.torch.nn.functional.cross_entropy(ours.forward(x), y).backward();
            optimizer.Step();
            reference.zero_grad();
            TorchSharp.torch.nn.functional.cross_entropy(theirs.forward(x), y).backward();
            reference.step();
        }
        foreach (var (a, b) in ours.parameters().Zip(theirs.parameters()))
        {
            Assert.True(a.allclose(b, rtol: 1e-5, atol: 1e-6), $"parameters differ from TorchSharp's {name} after 5 steps");
        }
    }
}
