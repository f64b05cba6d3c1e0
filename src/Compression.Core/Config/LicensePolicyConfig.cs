using System.ComponentModel;

namespace Compression.Core.Config;

/// <summary>Which licences a build may use: the <c>licensePolicy</c> section of compression.json.</summary>
public sealed class LicensePolicyConfig
{
    [Description("Licence ids (SPDX ids or LicenseRef-...) the teacher and data may have; when given, anything else is refused (CMP6005). An expression passes when one of its OR choices uses only allowed ids.")]
    public List<string> Allow { get; set; } = [];

    [Description("Licence ids the teacher and data must not have (CMP6004): an expression is refused when every one of its OR choices needs a denied id.")]
    public List<string> Deny { get; set; } = [];

    [Description("Require every teacher ONNX file and every data split to declare a licence (CMP6006); a teacher given as a spec is trained here, from the data.")]
    public bool RequireLicense { get; set; }

    [Description("What a declared term does to the build.")]
    public LicenseTermsPolicy Terms { get; set; } = new();
}
