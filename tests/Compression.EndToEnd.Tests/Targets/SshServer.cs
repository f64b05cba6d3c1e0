using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Compression.EndToEnd.Tests.Targets;

/// <summary>
/// A real OpenSSH server on 127.0.0.1 for the ssh target's tests: its own host key, a client key it
/// authorises, a known_hosts file naming its host key (so the client checks it, as it would a
/// device's), a free port, and a folder the targets use as their remote directory. It runs as the
/// current user (sshd -D -f config -h key) and is stopped by its process id when the tests end.
/// </summary>
public sealed class SshServer : IDisposable
{
    public const string Sshd = "/usr/sbin/sshd";

    private readonly Process? _process;

    public SshServer()
    {
        if (!Installed)
        {
            return; // every test using it is skipped (SshdFactAttribute)
        }
        Directory.CreateDirectory(Folder);
        Directory.CreateDirectory(RemoteDirectory);
        KeyGen(HostKey);
        KeyGen(ClientKey);
        KeyGen(StrangerKey);
        File.Copy(ClientKey + ".pub", AuthorizedKeys);
        Port = FreePort();
        File.WriteAllText(KnownHosts, $"[127.0.0.1]:{Port} {File.ReadAllText(HostKey + ".pub").Trim()}\n");
        string config = Path.Combine(Folder, "sshd_config");
        File.WriteAllLines(config,
        [
            $"Port {Port}",
            "ListenAddress 127.0.0.1",
            $"HostKey {HostKey}",
            $"AuthorizedKeysFile {AuthorizedKeys}",
            $"PidFile {Path.Combine(Folder, "sshd.pid")}",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            // The test's files live in /tmp, which StrictModes would refuse as group/world-writable.
            "StrictModes no",
            "PermitRootLogin prohibit-password",
            "Subsystem sftp internal-sftp",
        ]);
        // As root, sshd wants its privilege separation folder (a fresh container may lack it).
        if (Environment.UserName == "root")
        {
            Directory.CreateDirectory("/run/sshd");
        }
        var start = new ProcessStartInfo(Sshd) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in new[] { "-D", "-e", "-f", config, "-h", HostKey })
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (Log) { Log.AppendLine(e.Data); } } };
        _process.BeginErrorReadLine();
        WaitUntilListening();
    }

    /// <summary>Whether this machine has an OpenSSH server to start.</summary>
    public static bool Installed => File.Exists(Sshd);

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "compression-e2e", "sshd-" + Guid.NewGuid().ToString("N"));

    public int Port { get; }

    public string HostKey => Path.Combine(Folder, "host_key");

    /// <summary>The key the server accepts.</summary>
    public string ClientKey => Path.Combine(Folder, "client_key");

    /// <summary>A key the server does not know.</summary>
    public string StrangerKey => Path.Combine(Folder, "stranger_key");

    public string AuthorizedKeys => Path.Combine(Folder, "authorized_keys");

    public string KnownHosts => Path.Combine(Folder, "known_hosts");

    /// <summary>The folder under which targets make their temporary folders; empty after every run.</summary>
    public string RemoteDirectory => Path.Combine(Folder, "remote");

    public System.Text.StringBuilder Log { get; } = new();

    public void Dispose()
    {
        if (_process is null)
        {
            return;
        }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    /// <summary>A port nothing listens on: bound, read and released.</summary>
    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        int port = ((IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        return port;
    }

    private void WaitUntilListening()
    {
        for (int i = 0; i < 100; i++)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"sshd exited with {_process.ExitCode}: {Log}");
            }
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }
        throw new InvalidOperationException($"sshd did not listen on {Port} within 10 s: {Log}");
    }

    private static void KeyGen(string path)
    {
        var outcome = ProcessRunner.Run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "compression-test", "-f", path], Path.GetDirectoryName(path)!, TimeSpan.FromSeconds(30));
        if (outcome.ExitCode != 0)
        {
            throw new InvalidOperationException($"ssh-keygen failed: {outcome}");
        }
    }
}
