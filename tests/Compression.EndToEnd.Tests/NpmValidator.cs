using System.Security.Cryptography;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// A validator written in JavaScript by another project, kept under tools/&lt;name&gt; with a lock
/// file and run with node: an independent judge of what we write, as python3-onnx judges our ONNX
/// files. The first use runs <c>npm ci</c> into a temp folder named by the tool's files' hash and
/// reuses it; the tool's validate.js exits 0 when valid, 1 when invalid (with the errors), 2 when it
/// could not validate.
/// </summary>
public sealed class NpmValidator(string tool, string sentinelPackage)
{
    private static readonly Lock s_install = new();

    /// <summary>Runs the validator on a file.</summary>
    public ProcessRunner.Outcome Validate(string path)
    {
        string folder = Install();
        return ProcessRunner.Run("node", [Path.Combine(folder, "validate.js"), path], folder, TimeSpan.FromMinutes(2));
    }

    /// <summary>Fails the test, with the validator's errors, unless the file is valid.</summary>
    public void AssertValid(string path)
    {
        var outcome = Validate(path);
        Assert.True(outcome.ExitCode == 0, $"{tool} rejected {path}:\n{outcome}");
    }

    private string Install()
    {
        string source = Path.Combine(RepoPaths.Root, "tools", tool);
        lock (s_install)
        {
            string[] files = ["package.json", "package-lock.json", "validate.js"];
            string hash = Convert.ToHexStringLower(SHA256.HashData(files.SelectMany(f => File.ReadAllBytes(Path.Combine(source, f))).ToArray()))[..16];
            string folder = Path.Combine(Path.GetTempPath(), "compression-npm", $"{tool}-{hash}");
            if (File.Exists(Path.Combine(folder, "node_modules", sentinelPackage, "package.json")))
            {
                return folder;
            }
            string scratch = $"{folder}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            Directory.CreateDirectory(scratch);
            foreach (string file in files)
            {
                File.Copy(Path.Combine(source, file), Path.Combine(scratch, file));
            }
            var install = ProcessRunner.Run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], scratch, TimeSpan.FromMinutes(5));
            Assert.True(install.ExitCode == 0, $"npm ci in {scratch} failed (the npm registry must be reachable):\n{install}");
            try
            {
                Directory.Move(scratch, folder);
            }
            catch (IOException) when (Directory.Exists(folder))
            {
                // Another test process installed it first: use theirs.
                Directory.Delete(scratch, recursive: true);
            }
            return folder;
        }
    }
}
