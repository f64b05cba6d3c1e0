using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Data;
using Microsoft.Extensions.Logging;

namespace Compression.Abstractions.Stages;

/// <summary>Everything a stage may use while it runs. A stage has no other state.</summary>
public sealed class StageContext
{
    private readonly IReadOnlyList<ITeacher>? _teachers;

    /// <summary>The stage's id in the config (its name, or name#index when a stage repeats).</summary>
    public required string StageId { get; init; }

    /// <summary>
    /// An empty folder for this run's outputs. The host moves it into the cache only when the stage
    /// succeeds, so a stage never has to clean up after a failure or cancellation.
    /// </summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Folder of compression.json: relative paths in settings are relative to it.</summary>
    public required string ConfigDirectory { get; init; }

    /// <summary>The newest artifact of each kind produced by the stages before this one.</summary>
    public required IReadOnlyDictionary<ArtifactKind, Artifact> Inputs { get; init; }

    /// <summary>The data set, split and normalised.</summary>
    public required DataSplits Data { get; init; }

    /// <summary>The teacher model (the first of <see cref="Teachers"/>): the one the gate compares the student with.</summary>
    public required ITeacher Teacher { get; init; }

    /// <summary>
    /// Every teacher, <see cref="Teacher"/> first; more than one when the config lists <c>teachers</c>.
    /// Weights (summing to 1) are in <see cref="TeacherWeights"/>.
    /// </summary>
    public IReadOnlyList<ITeacher> Teachers
    {
        get => _teachers ?? [Teacher];
        init => _teachers = value;
    }

    /// <summary>The weight of each of <see cref="Teachers"/> in combined soft targets, summing to 1.</summary>
    public IReadOnlyList<double> TeacherWeights { get; init; } = [1.0];

    /// <summary>
    /// The config's <c>task</c>: <c>"classification"</c> (the teachers give class logits) or <c>"embedding"</c>
    /// (the teacher is a sentence encoder whose <see cref="ITeacher.GetLogitsAsync"/> gives its unit-length
    /// embeddings, and the data has no classes), or a task a plugin adds.
    /// </summary>
    public string Task { get; init; } = "classification";

    /// <summary>The pipeline's seed; seed every random source from it.</summary>
    public required int Seed { get; init; }

    /// <summary>Where to report progress; shown on the console and as MSBuild messages.</summary>
    public required IProgress<StageProgress> Progress { get; init; }

    /// <summary>Logger for details (the console shows warnings and errors).</summary>
    public required ILogger Logger { get; init; }

    /// <summary>The host's services, e.g. to find the registered distillation methods.</summary>
    public required IServiceProvider Services { get; init; }

    /// <summary>Returns the input of the given kind; the planner guarantees it exists.</summary>
    public Artifact Input(ArtifactKind kind) =>
        Inputs.TryGetValue(kind, out Artifact? artifact)
            ? artifact
            : throw new InvalidOperationException($"Stage '{StageId}' has no input of kind '{kind.Name}'.");
}
