namespace Compression.Core.Provenance;

/// <summary>Codes of licence and provenance findings (CMP6001-CMP6019; docs/error-codes.md).</summary>
public static class ProvenanceCodes
{
    /// <summary>A licence is not an SPDX expression.</summary>
    public const string Syntax = "CMP6001";

    /// <summary>A licence or exception id that the SPDX License List does not have.</summary>
    public const string UnknownId = "CMP6002";

    /// <summary>The policy both allows and denies an id.</summary>
    public const string PolicyContradiction = "CMP6003";

    /// <summary>A licence the policy denies.</summary>
    public const string Denied = "CMP6004";

    /// <summary>A licence outside the policy's allow list.</summary>
    public const string NotAllowed = "CMP6005";

    /// <summary>The policy requires a licence and an input declares none.</summary>
    public const string Missing = "CMP6006";

    /// <summary>A teacher whose outputs may not train another model.</summary>
    public const string NoTrainingOnOutputs = "CMP6007";

    /// <summary>An input licensed for non-commercial use only.</summary>
    public const string NonCommercial = "CMP6008";

    /// <summary>compression.json and the teacher file's metadata declare different licences.</summary>
    public const string Disagreement = "CMP6009";

    /// <summary>A deprecated SPDX id.</summary>
    public const string Deprecated = "CMP6010";

    /// <summary>An unknown or misplaced term.</summary>
    public const string UnknownTerm = "CMP6011";

    /// <summary>A model given to <c>compress inspect</c> carries no provenance metadata.</summary>
    public const string NoProvenance = "CMP6012";

    /// <summary>A file given to <c>compress inspect</c> is not an ONNX model (not protobuf, truncated, empty, no graph).</summary>
    public const string NotOnnxModel = "CMP6013";
}
