namespace Compression.Plugins.Distillation;

/// <summary>A candidate of <c>"method": "auto"</c> and how its student did (with the pipeline's seed).</summary>
internal sealed record CandidateResult(Candidate Candidate, RunOutcome Outcome);
