using System.ComponentModel;

namespace Compression.Core.Config;

/// <summary>What each declared licence term does: fail the build, warn, or nothing.</summary>
public sealed class LicenseTermsPolicy
{
    [Description("A teacher whose outputs may not train another model (distillation does exactly that): \"error\" (default), \"warning\" or \"ignore\" (CMP6007).")]
    public LicenseTermAction NoTrainingOnOutputs { get; set; } = LicenseTermAction.Error;

    [Description("A teacher or data set licensed for non-commercial use only: \"warning\" (default; \"error\" for a commercial product) or \"ignore\" (CMP6008).")]
    public LicenseTermAction NonCommercial { get; set; } = LicenseTermAction.Warning;
}
