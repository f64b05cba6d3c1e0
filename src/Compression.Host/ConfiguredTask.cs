using Compression.Abstractions.Stages;

namespace Compression.Host;

/// <summary>The loaded config's <c>task</c>, served to the stages' settings checks.</summary>
internal sealed record ConfiguredTask(string Name) : IPipelineTask;
