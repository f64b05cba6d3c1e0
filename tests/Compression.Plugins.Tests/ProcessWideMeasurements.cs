namespace Compression.Plugins.Tests;

/// <summary>
/// Tests that measure the whole process (allocated bytes over all threads): xUnit runs this collection by
/// itself, after the parallel ones, so other tests' allocations do not count against them.
/// </summary>
[CollectionDefinition(nameof(ProcessWideMeasurements), DisableParallelization = true)]
public sealed class ProcessWideMeasurements;
