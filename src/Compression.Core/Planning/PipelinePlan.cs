namespace Compression.Core.Planning;

/// <summary>The stages to run, in order, checked to chain before anything runs.</summary>
public sealed record PipelinePlan(IReadOnlyList<PlannedStage> Stages);
