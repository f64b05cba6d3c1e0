using Compression.Core.Provenance.Licensing;

namespace Compression.Core.Provenance;

/// <summary>Which teacher a run distilled from.</summary>
/// <param name="Name">Its name in the config.</param>
/// <param name="Source">The ONNX file the config names (with its external-data files), or the spec as its JSON text, hashed.</param>
/// <param name="ModelSha256">SHA-256 of the ONNX model the run used (for a spec: the model it trained and cached).</param>
/// <param name="Parameters">Its parameter count.</param>
/// <param name="License">Its licence and terms.</param>
public sealed record TeacherIdentity(string Name, HashedFile Source, string ModelSha256, long Parameters, LicensedInput License)
{
    /// <summary>The role of <see cref="Source"/> for the app's model (<c>"model"</c>), which a run compresses rather than distils from.</summary>
    public const string AppModelRole = "model";

    /// <summary>True when the pipeline trained it from a spec in compression.json.</summary>
    public bool FromSpec => Source.Role == "teacher.model";

    /// <summary>True for the app's model: the run's starting model and its reference.</summary>
    public bool IsAppModel => Source.Role == AppModelRole;

    /// <summary>How reports name it: <c>teacher 'name'</c>, or <c>model 'file'</c> for the app's model.</summary>
    public string Label => IsAppModel ? $"model '{Path.GetFileName(Source.Path)}'" : $"teacher '{Name}'";
}
