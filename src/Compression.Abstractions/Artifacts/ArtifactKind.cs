namespace Compression.Abstractions.Artifacts;

/// <summary>
/// The kind of file a stage takes or makes. The planner checks, before anything runs, that every
/// kind a stage consumes was produced by an earlier stage.
/// </summary>
/// <param name="Name">A short, stable, lower-case name, e.g. <c>torch-model</c>.</param>
/// <param name="Description">What a user should add to produce it, used in plan errors.</param>
public sealed record ArtifactKind(string Name, string Description)
{
    /// <summary>A TorchSharp model: a folder holding <c>model.json</c> (its spec) and <c>weights.dat</c>.</summary>
    public static readonly ArtifactKind TorchModel =
        new("torch-model", "a trained TorchSharp model (add a 'distill' stage before it)");

    /// <summary>An ONNX model file of the student.</summary>
    public static readonly ArtifactKind OnnxModel =
        new("onnx-model", "an ONNX model (add an 'export' stage before it)");

    /// <inheritdoc />
    public bool Equals(ArtifactKind? other) =>
        other is not null && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Name);

    /// <inheritdoc />
    public override string ToString() => Name;
}
