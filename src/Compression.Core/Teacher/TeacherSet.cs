namespace Compression.Core.Teacher;

/// <summary>The run's teachers, the gate's teacher first, with their weights (summing to 1).</summary>
public sealed record TeacherSet(IReadOnlyList<CachedTeacher> Teachers, IReadOnlyList<double> Weights)
{
    /// <summary>The teacher the gate, the benchmark and retention compare the student with.</summary>
    public CachedTeacher Primary => Teachers[0];
}
