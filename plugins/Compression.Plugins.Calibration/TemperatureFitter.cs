namespace Compression.Plugins.Calibration;

/// <summary>
/// Fits the temperature T &gt; 0 that minimises the negative log-likelihood of held-out logits
/// (temperature scaling, Guo et al. 2017). NLL is convex in 1/T, so a golden-section search over
/// log T in [min, max] finds the optimum without gradients; 80 iterations shrink the bracket by
/// 0.618^80, far below any meaningful precision.
/// </summary>
public static class TemperatureFitter
{
    public static double Fit(float[] logits, int[] labels, int classes, double minimum = 0.05, double maximum = 20)
    {
        double Loss(double logT) => NegativeLogLikelihood(logits, labels, classes, Math.Exp(logT));
        double lo = Math.Log(minimum), hi = Math.Log(maximum);
        double ratio = (Math.Sqrt(5) - 1) / 2;
        double a = hi - (ratio * (hi - lo)), b = lo + (ratio * (hi - lo));
        double fa = Loss(a), fb = Loss(b);
        for (int i = 0; i < 80; i++)
        {
            if (fa < fb)
            {
                hi = b;
                b = a;
                fb = fa;
                a = hi - (ratio * (hi - lo));
                fa = Loss(a);
            }
            else
            {
                lo = a;
                a = b;
                fa = fb;
                b = lo + (ratio * (hi - lo));
                fb = Loss(b);
            }
        }
        return Math.Exp((lo + hi) / 2);
    }

    public static double NegativeLogLikelihood(float[] logits, int[] labels, int classes, double temperature)
    {
        double total = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            var row = logits.AsSpan(i * classes, classes);
            double max = double.NegativeInfinity;
            foreach (float value in row)
            {
                max = Math.Max(max, value / temperature);
            }
            double sum = 0;
            foreach (float value in row)
            {
                sum += Math.Exp((value / temperature) - max);
            }
            total -= (row[labels[i]] / temperature) - max - Math.Log(sum);
        }
        return total / labels.Length;
    }
}
