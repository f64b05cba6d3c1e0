namespace Compression.Plugins.Distillation.Augmentation;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014) with the few draws augmentation needs. A fresh instance per
/// batch from a mixed (seed, step) keeps every batch reproducible on its own, whatever ran before it.
/// </summary>
internal sealed class AugmentRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The SplitMix64 finaliser: a bijection that spreads close inputs far apart.</summary>
    public static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }

    /// <summary>A seed for one purpose (<paramref name="stream"/>) of one batch (<paramref name="step"/>) of a run.</summary>
    public static ulong Seed(ulong runSeed, long step, int stream) =>
        Mix(Mix(Mix(runSeed) ^ (ulong)step) + (ulong)stream);

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in (0, 1], safe to take the logarithm of.</summary>
    private double NextPositiveDouble() => 1.0 - NextDouble();

    /// <summary>Uniform in [0, <paramref name="count"/>).</summary>
    public int NextInt(int count) => (int)(((UInt128)NextUInt64() * (ulong)count) >> 64);

    public bool NextBool() => (NextUInt64() >> 63) == 1;

    /// <summary>Standard normal (Box-Muller).</summary>
    public double NextNormal() =>
        Math.Sqrt(-2 * Math.Log(NextPositiveDouble())) * Math.Cos(2 * Math.PI * NextDouble());

    /// <summary>A random order of 0 .. count - 1 (Fisher-Yates).</summary>
    public int[] NextPermutation(int count)
    {
        int[] order = Enumerable.Range(0, count).ToArray();
        for (int i = count - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>
    /// Beta(a, a) as X / (X + Y) with X, Y ~ Gamma(a, 1), computed from log X and log Y so that a small
    /// a (where both draws underflow to 0) still gives a number in [0, 1].
    /// </summary>
    public double NextSymmetricBeta(double a)
    {
        double logX = NextLogGamma(a);
        double logY = NextLogGamma(a);
        return 1.0 / (1.0 + Math.Exp(logY - logX));
    }

    /// <summary>
    /// The logarithm of a Gamma(a, 1) draw: Marsaglia and Tsang 2000 for a &gt;= 1, and for a &lt; 1
    /// their boost Gamma(a) = Gamma(a + 1) * U^(1/a), taken in logs.
    /// </summary>
    private double NextLogGamma(double a)
    {
        if (a < 1)
        {
            return NextLogGamma(a + 1) + (Math.Log(NextPositiveDouble()) / a);
        }
        double d = a - (1.0 / 3.0);
        double c = 1.0 / Math.Sqrt(9 * d);
        while (true)
        {
            double x = NextNormal();
            double v = 1 + (c * x);
            if (v <= 0)
            {
                continue;
            }
            v = v * v * v;
            if (Math.Log(NextPositiveDouble()) < (0.5 * x * x) + d - (d * v) + (d * Math.Log(v)))
            {
                return Math.Log(d * v);
            }
        }
    }
}
