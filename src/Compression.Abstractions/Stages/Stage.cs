using Compression.Abstractions.Artifacts;
using Compression.Abstractions.Metrics;

namespace Compression.Abstractions.Stages;

/// <summary>Base class for stages with a typed settings record.</summary>
/// <typeparam name="TSettings">Settings bound from JSON; defaults are the property initialisers.</typeparam>
public abstract class Stage<TSettings> : IStage
    where TSettings : class, new()
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract string Description { get; }

    /// <inheritdoc />
    public abstract IReadOnlyList<ArtifactKind> Consumes { get; }

    /// <inheritdoc />
    public abstract IReadOnlyList<ArtifactKind> Produces { get; }

    /// <inheritdoc />
    public virtual IReadOnlyList<ArtifactKind> ProducesFrom(IReadOnlySet<ArtifactKind> available) => Produces;

    /// <inheritdoc />
    public virtual string Version => "1";

    /// <inheritdoc />
    public Type SettingsType => typeof(TSettings);

    /// <inheritdoc />
    public IReadOnlyList<SettingsError> Validate(object settings, IServiceProvider services) =>
        Validate((TSettings)settings, services).ToList();

    /// <inheritdoc />
    public IReadOnlyList<MetricDescriptor> ReportedMetrics(object settings) =>
        ReportedMetrics((TSettings)settings).ToList();

    /// <inheritdoc />
    public Task<StageResult> RunAsync(StageContext context, object settings, CancellationToken cancellationToken) =>
        RunAsync(context, (TSettings)settings, cancellationToken);

    /// <summary>Checks settings beyond what their types say; yield one error per problem.</summary>
    protected virtual IEnumerable<SettingsError> Validate(TSettings settings, IServiceProvider services) => [];

    /// <summary>Describes the metrics the stage will report with these settings; yield one descriptor per metric name.</summary>
    protected virtual IEnumerable<MetricDescriptor> ReportedMetrics(TSettings settings) => [];

    /// <summary>Runs the stage with typed settings.</summary>
    protected abstract Task<StageResult> RunAsync(StageContext context, TSettings settings, CancellationToken cancellationToken);
}
