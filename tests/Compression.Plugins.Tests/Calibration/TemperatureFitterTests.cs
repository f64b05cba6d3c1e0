using Compression.Plugins.Calibration;

namespace Compression.Plugins.Tests.Calibration;

public class TemperatureFitterTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(2.0)]
    [InlineData(4.0)]
    public void The_fitted_temperature_recovers_the_one_the_labels_were_drawn_with(double trueTemperature)
    {
        // Labels are sampled from softmax(z / T*), so T* is the maximum-likelihood temperature (up to sampling noise).
        var random = new Random(17);
        const int Count = 20_000, Classes = 4;
        var logits = new float[Count * Classes];
        var labels = new int[Count];
        var probabilities = new double[Classes];
        for (int i = 0; i < Count; i++)
        {
            for (int c = 0; c < Classes; c++)
            {
                logits[(i * Classes) + c] = (float)((random.NextDouble() * 6) - 3);
            }
            Compression.Models.Evaluation.CalibrationMetrics.Softmax(logits.AsSpan(i * Classes, Classes), trueTemperature, probabilities);
            double u = random.NextDouble(), cumulative = 0;
            labels[i] = Classes - 1;
            for (int c = 0; c < Classes; c++)
            {
                cumulative += probabilities[c];
                if (u < cumulative)
                {
                    labels[i] = c;
                    break;
                }
            }
        }
        double fitted = TemperatureFitter.Fit(logits, labels, Classes);
        Assert.InRange(fitted, trueTemperature * 0.93, trueTemperature * 1.07);
        Assert.True(TemperatureFitter.NegativeLogLikelihood(logits, labels, Classes, fitted)
            <= TemperatureFitter.NegativeLogLikelihood(logits, labels, Classes, trueTemperature) + 1e-9);
    }
}
