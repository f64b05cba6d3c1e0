namespace Compression.Host;

/// <summary>
/// Makes libtorch's OpenMP threads (libgomp) sleep at a barrier instead of spinning, unless the user
/// chose a policy. libgomp reads <c>OMP_WAIT_POLICY</c> once, when libtorch is loaded, from the C
/// environment (<see cref="NativeEnvironment"/>). Spinning threads on a machine shared with
/// other jobs burn the time slices the thread they wait for needs (measured in bench/threads.sh).
/// </summary>
internal static class OpenMpWaitPolicy
{
    public static void PreferPassive() => NativeEnvironment.SetDefault("OMP_WAIT_POLICY", "PASSIVE");
}
