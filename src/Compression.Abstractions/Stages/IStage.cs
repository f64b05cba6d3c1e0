using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Metrics;

namespace Compression.Abstractions.Stages;

/// <summary>
/// A pipeline stage: a function of its input artifacts and settings that writes output artifacts.
/// Implement <see cref="Stage{TSettings}"/> rather than this interface.
/// </summary>
public interface IStage
{
    /// <summary>The name used in compression.json (<c>"stage": "distill"</c>); matched case-insensitively.</summary>
    string Name { get; }

    /// <summary>One line for <c>compress plugins</c>.</summary>
    string Description { get; }

    /// <summary>Kinds this stage needs from earlier stages.</summary>
    IReadOnlyList<ArtifactKind> Consumes { get; }

    /// <summary>Kinds this stage makes.</summary>
    IReadOnlyList<ArtifactKind> Produces { get; }

    /// <summary>
    /// The kinds this stage makes when the pipeline holds <paramref name="available"/> before it (what the
    /// earlier stages made, and the app's model when the pipeline starts from one): the planner chains
    /// stages with this. For a stage that works on whichever model it is given (prune: a torch model,
    /// else an ONNX model). Default: <see cref="Produces"/>.
    /// </summary>
    IReadOnlyList<ArtifactKind> ProducesFrom(IReadOnlySet<ArtifactKind> available) => Produces;

    /// <summary>
    /// The settings type, bound from the stage's <c>settings</c> object. Unknown members are errors.
    /// It must have a public parameterless constructor; its property defaults are the stage's defaults.
    /// </summary>
    Type SettingsType { get; }

    /// <summary>
    /// A version of the stage's behaviour, part of its cache key: bump it when the same inputs and
    /// settings would now give a different result.
    /// </summary>
    string Version { get; }

    /// <summary>Checks bound settings; returns every problem found (empty when valid).</summary>
    IReadOnlyList<SettingsError> Validate(object settings, IServiceProvider services);

    /// <summary>
    /// The metrics the stage will report with these (bound, valid) settings, described before it runs,
    /// so that a budget on one of them is checked before anything trains. Default: none.
    /// </summary>
    IReadOnlyList<MetricDescriptor> ReportedMetrics(object settings) => [];

    /// <summary>Runs the stage.</summary>
    Task<StageResult> RunAsync(StageContext context, object settings, CancellationToken cancellationToken);
}
