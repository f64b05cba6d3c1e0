namespace Compression.Models.Statistics;

/// <summary>Which noise a <see cref="GainInterval"/> accounts for, and how it was computed.</summary>
public enum GainMethod
{
    /// <summary>
    /// Paired t interval over repeated runs (seeds): covers training noise. Built by
    /// <see cref="PairedInterval.OverRepeats"/>.
    /// </summary>
    PairedTOverSeeds,

    /// <summary>
    /// Paired percentile bootstrap over the test samples of one run: covers evaluation noise
    /// (which test set was drawn) only, not training noise. Built by <see cref="PairedBootstrap.OverSamples"/>.
    /// </summary>
    PairedBootstrapOverTestSamples,
}
