using System.Security.Cryptography;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// The CycloneDX project's own JavaScript library (<c>@cyclonedx/cyclonedx-library</c>, its
/// <c>JsonStrictValidator</c> against the official 1.6 schema) as an independent judge of the BOMs we
/// write, as python3-onnx judges our ONNX files. tools/cyclonedx-validate pins it with a lock file;
/// the first use runs <c>npm ci</c> into a temp folder named by the lock file's hash and reuses it.
/// </summary>
public static class CycloneDxValidator
{
    private static readonly string s_tool = Path.Combine(RepoPaths.Root, "tools", "cyclonedx-validate");
    private static readonly Lock s_install = new();

    /// <summary>Runs the validator; exit 0 means valid, 1 invalid (with the schema errors), 2 it could not validate.</summary>
    public static ProcessRunner.Outcome Validate(string bomPath)
    {
        string folder = Install();
        return ProcessRunner.Run("node", [Path.Combine(folder, "validate.js"), bomPath], folder, TimeSpan.FromMinutes(2));
    }

    /// <summary>Fails the test, with the validator's errors, unless the BOM is valid CycloneDX 1.6.</summary>
    public static void AssertValid(string bomPath)
    {
        var outcome = Validate(bomPath);
        Assert.True(outcome.ExitCode == 0, $"the CycloneDX library rejected {bomPath}:\n{outcome}");
    }

    private static string Install()
    {
        lock (s_install)
        {
            string[] files = ["package.json", "package-lock.json", "validate.js"];
            string hash = Convert.ToHexStringLower(SHA256.HashData(files.SelectMany(f => File.ReadAllBytes(Path.Combine(s_tool, f))).ToArray()))[..16];
            string folder = Path.Combine(Path.GetTempPath(), "compression-npm", $"cyclonedx-validate-{hash}");
            if (File.Exists(Path.Combine(folder, "node_modules", "@cyclonedx", "cyclonedx-library", "package.json")))
            {
                return folder;
            }
            string scratch = $"{folder}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            Directory.CreateDirectory(scratch);
            foreach (string file in files)
            {
                File.Copy(Path.Combine(s_tool, file), Path.Combine(scratch, file));
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
