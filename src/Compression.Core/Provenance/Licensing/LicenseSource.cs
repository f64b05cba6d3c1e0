namespace Compression.Core.Provenance.Licensing;

/// <summary>Where an input's licence came from.</summary>
public enum LicenseSource
{
    /// <summary>Nothing declares one.</summary>
    None,

    /// <summary>A <c>license</c> field of compression.json.</summary>
    Config,

    /// <summary>The teacher ONNX file's <c>metadata_props</c> key <c>license</c>.</summary>
    OnnxMetadata,

    /// <summary>Pinned for a packaged teacher (<c>"sentenceEncoder": "minilm"</c>): the model card's licence of the weights it embeds.</summary>
    Package,
}
