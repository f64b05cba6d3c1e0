using System.Globalization;
using Compression.Core.Config;

namespace Compression.Core.Targets;

/// <summary>
/// The arguments of the system's OpenSSH client for a target. We run `ssh` and `scp` themselves
/// rather than an SSH library so that the user's ~/.ssh/config (aliases, ProxyJump, keys), the agent
/// and known_hosts apply exactly as in their shell. BatchMode=yes makes any prompt (a password, an
/// unknown host key) a failure instead of a hang; ConnectTimeout and ServerAliveInterval bound the
/// wait for a host that does not answer or goes away. Host key checking is left as the user's
/// configuration says; a knownHostsFile only names where the keys are.
/// </summary>
public sealed class SshOptions(TargetConfig target, string configDirectory)
{
    /// <summary>Seconds between keep-alives, and how many may go unanswered before the connection counts as lost.</summary>
    public const int AliveIntervalSeconds = 5;
    public const int AliveCountMax = 3;

    /// <summary>Options shared by ssh and scp (each gives the port its own way).</summary>
    public IReadOnlyList<string> Common()
    {
        var options = new List<string>
        {
            "-o", "BatchMode=yes",
            "-o", $"ConnectTimeout={target.ConnectTimeoutSeconds.ToString(CultureInfo.InvariantCulture)}",
            "-o", $"ServerAliveInterval={AliveIntervalSeconds}",
            "-o", $"ServerAliveCountMax={AliveCountMax}",
        };
        if (target.IdentityFile is string key)
        {
            options.AddRange(["-i", Resolve(key, configDirectory), "-o", "IdentitiesOnly=yes"]);
        }
        if (target.KnownHostsFile is string knownHosts)
        {
            options.AddRange(["-o", $"UserKnownHostsFile={Resolve(knownHosts, configDirectory)}"]);
        }
        return options;
    }

    /// <summary>`ssh` arguments that run <paramref name="command"/> on the device.</summary>
    public IReadOnlyList<string> Ssh(string command)
    {
        var arguments = new List<string>(Common());
        if (target.Port is int port)
        {
            arguments.AddRange(["-p", port.ToString(CultureInfo.InvariantCulture)]);
        }
        if (target.User is string user)
        {
            arguments.AddRange(["-l", user]);
        }
        arguments.AddRange(["--", target.Host!, command]);
        return arguments;
    }

    /// <summary>`scp` arguments that copy local files and folders into a folder on the device.</summary>
    /// <param name="sources">Local files and folders.</param>
    /// <param name="remoteFolder">The folder on the device.</param>
    /// <param name="legacy">Use the legacy SCP protocol (-O) instead of SFTP, for devices without an sftp-server.</param>
    public IReadOnlyList<string> Scp(IEnumerable<string> sources, string remoteFolder, bool legacy)
    {
        var arguments = new List<string>(Common()) { "-r", "-q", "-p" };
        if (legacy)
        {
            arguments.Add("-O");
        }
        if (target.Port is int port)
        {
            arguments.AddRange(["-P", port.ToString(CultureInfo.InvariantCulture)]);
        }
        arguments.Add("--");
        arguments.AddRange(sources);
        string host = target.Host!.Contains(':', StringComparison.Ordinal) ? $"[{target.Host}]" : target.Host!;
        arguments.Add($"{(target.User is string user ? user + "@" : "")}{host}:{remoteFolder}/");
        return arguments;
    }

    /// <summary>"ssh pi@edge:2222" for messages.</summary>
    public string Describe() => $"ssh {(target.User is string user ? user + "@" : "")}{target.Host}{(target.Port is int port ? ":" + port.ToString(CultureInfo.InvariantCulture) : "")}";

    /// <summary>A key or known_hosts path: <c>~/</c> is the home folder, as in ssh; else relative to compression.json.</summary>
    public static string Resolve(string path, string configDirectory) =>
        path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : Path.GetFullPath(path, configDirectory);

    /// <summary>A word for the remote POSIX shell: single-quoted, with any single quote closed, escaped and reopened.</summary>
    public static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
