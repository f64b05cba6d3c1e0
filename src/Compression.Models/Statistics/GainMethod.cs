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

    /// <summary>
    /// McNemar's exact test over the test samples of one evaluation of each model (paired by sample),
    /// with the Clopper-Pearson interval of the accuracy difference conditional on the discordant
    /// samples: covers evaluation noise only. Built by <see cref="McNemarExact.Compare"/>.
    /// </summary>
    McNemarExactOverTestSamples,

    /// <summary>
    /// Paired t interval over rounds of two models timed side by side in one process (the log of one
    /// model's median time minus the other's, per round): covers the machine's timing noise at that
    /// moment, which hits both models of a round alike. Built from <see cref="PairedInterval.OverRepeats"/>.
    /// </summary>
    PairedTOverInterleavedRounds,

    /// <summary>
    /// Student t interval over repeated runs (seeds) evaluated on one test set, whose variance adds the
    /// seeds' spread and the test samples' (Welch-Satterthwaite degrees of freedom): covers training
    /// and evaluation noise. Built by <see cref="SeedAndSampleInterval.Of"/>.
    /// </summary>
    PairedTOverSeedsAndTestSamples,
}
