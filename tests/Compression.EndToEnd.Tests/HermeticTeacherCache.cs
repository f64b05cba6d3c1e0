using System.Runtime.CompilerServices;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// Every compress these tests start keeps its teachers in its own work folder unless a test says
/// otherwise: a teacher shared through the user's cache would make "trained" vs "reused" depend on
/// what ran before. Child processes inherit the variable.
/// </summary>
internal static class HermeticTeacherCache
{
    [ModuleInitializer]
    internal static void TurnOffTheSharedCache() => Environment.SetEnvironmentVariable("COMPRESSION_TEACHER_CACHE", "off");
}
