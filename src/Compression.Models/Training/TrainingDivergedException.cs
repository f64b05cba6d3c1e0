using System.Globalization;

namespace Compression.Models.Training;

/// <summary>
/// The training loss became NaN or infinite: the weights have diverged, and every step after this one
/// would only train a broken model. Thrown by <see cref="SupervisedTrainer"/> at the first such batch;
/// the host reports it as bad input (CMP4002) at the stage's or teacher's learning rate, the setting
/// most often to blame.
/// </summary>
public sealed class TrainingDivergedException(int epoch, int epochs, int step, double loss, double learningRate)
    : Exception(string.Create(CultureInfo.InvariantCulture,
        $"training diverged: the loss became {loss} at epoch {epoch}/{epochs} (step {step}), so the model's weights are no longer finite. Lower the learning rate (the setting is {learningRate:G4}); also check what scales the loss (temperature, alpha, teacher weights) and the data for non-finite values"))
{
    /// <summary>The epoch (from 1) whose batch gave the non-finite loss.</summary>
    public int Epoch { get; } = epoch;

    /// <summary>The optimisation step (from 0).</summary>
    public int Step { get; } = step;

    /// <summary>The loss: NaN or an infinity.</summary>
    public double Loss { get; } = loss;
}
