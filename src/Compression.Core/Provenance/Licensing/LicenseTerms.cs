namespace Compression.Core.Provenance.Licensing;

/// <summary>The licence terms an input may declare beyond its SPDX id.</summary>
public static class LicenseTerms
{
    /// <summary>The model's outputs may not be used to train another model (some model licences say so); distillation does exactly that.</summary>
    public const string NoTrainingOnOutputs = "no-training-on-outputs";

    /// <summary>Licensed for non-commercial use only.</summary>
    public const string NonCommercial = "non-commercial";

    /// <summary>Every known term.</summary>
    public static IReadOnlyList<string> All { get; } = [NoTrainingOnOutputs, NonCommercial];
}
