using static TorchSharp.torch;

namespace Compression.Abstractions.Distillation;

/// <summary>
/// Creates a method's trainable modules (adapters, e.g. FitNets' regressor from student to teacher
/// channels) for one training run. An adapter's parameters are trained with the student by the same
/// optimizer, saved beside the student's weights, and never exported: the shipped model is the student
/// alone. The method reads its adapters back by name from <see cref="DistillationBatch.Adapters"/>.
/// </summary>
public interface IAdapterFactory
{
    /// <summary>Registers <paramref name="module"/> as the adapter called <paramref name="name"/> and returns it.</summary>
    /// <param name="name">Unique within the run, e.g. <c>hint0</c>: letters, digits and <c>_</c>.</param>
    /// <param name="module">A module taking the student's feature, [batch, ...student shape].</param>
    /// <param name="tap">When the adapter maps a tap's student feature onto the teacher's, that tap's index: the stage
    /// then checks, before training, that its output has the teacher feature's shape (a bad input error at
    /// <c>taps[i]</c> otherwise).</param>
    /// <exception cref="ArgumentException">The name is taken or not a valid name.</exception>
    nn.Module<Tensor, Tensor> Add(string name, nn.Module<Tensor, Tensor> module, int? tap = null);

    /// <summary>A bias-free 1x1 convolution (for [C, H, W] features) or linear map (for [C] features) from
    /// the student's to the teacher's channels of tap <paramref name="tap"/>, registered as <paramref name="name"/>.</summary>
    nn.Module<Tensor, Tensor> ChannelMap(string name, TapShape tap);
}
