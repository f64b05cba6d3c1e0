namespace Compression.EndToEnd.Tests.Targets;

/// <summary>
/// A test that needs a real OpenSSH server: skipped, saying why, only when sshd is not installed
/// (CI installs it: .ci/run).
/// </summary>
public sealed class SshdFactAttribute : FactAttribute
{
    public SshdFactAttribute()
    {
        if (!SshServer.Installed)
        {
            Skip = $"{SshServer.Sshd} is not installed: apt-get install -y openssh-server";
        }
    }
}
