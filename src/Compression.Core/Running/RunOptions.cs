namespace Compression.Core.Running;

/// <summary>How to run a pipeline.</summary>
/// <param name="WorkDirectory">Cache, result.json and report.md go here (obj/compression/ under MSBuild).</param>
/// <param name="CopyModelTo">Where to copy the final student ONNX file, if anywhere.</param>
/// <param name="UpdateBaseline">Write the baseline file from this run instead of comparing with it.</param>
/// <param name="TeacherCache">The shared folder for trained teachers and teacher outputs (<see cref="Cache.SharedTeacherCache"/>); null for the work folder's cache.</param>
public sealed record RunOptions(string WorkDirectory, string? CopyModelTo = null, bool UpdateBaseline = false, string? TeacherCache = null);
