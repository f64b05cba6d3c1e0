namespace Compression.EndToEnd.Tests;

/// <summary>
/// The repository's workflows and actions validated by an independent tool, action-validator
/// (npm: @action-validator/cli, which checks GitHub's workflow and action schemas), installed at
/// test time into a folder kept between runs.
/// </summary>
public class WorkflowYamlTests
{
    private const string Version = "0.6.0";

    private static readonly Lazy<string> s_cli = new(Install);

    private static string Install()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"compression-action-validator-{Version}");
        string cli = Path.Combine(folder, "node_modules", "@action-validator", "cli", "cli.mjs");
        if (File.Exists(cli))
        {
            return cli;
        }
        // Installed beside, then moved into place: a half-finished install is never taken for a whole one.
        string scratch = $"{folder}.{Guid.NewGuid():N}";
        Directory.CreateDirectory(scratch);
        var outcome = ProcessRunner.Run("npm",
            ["install", "--prefix", scratch, "--no-audit", "--no-fund", "--no-save", $"@action-validator/cli@{Version}", $"@action-validator/core@{Version}"],
            scratch, TimeSpan.FromMinutes(5));
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        try
        {
            Directory.Move(scratch, folder);
        }
        catch (IOException) when (File.Exists(cli))
        {
            Directory.Delete(scratch, recursive: true); // another run installed it meanwhile
        }
        return cli;
    }

    private static ProcessRunner.Outcome Validate(string file) =>
        ProcessRunner.Run("node", [s_cli.Value, file], RepoPaths.Root, TimeSpan.FromMinutes(1));

    public static TheoryData<string> Files()
    {
        var files = new TheoryData<string>();
        string github = Path.Combine(RepoPaths.Root, ".github");
        foreach (string file in Directory.EnumerateFiles(Path.Combine(github, "workflows"), "*.yml")
            .Concat(Directory.EnumerateFiles(Path.Combine(github, "actions"), "action.yml", SearchOption.AllDirectories)).Order(StringComparer.Ordinal))
        {
            files.Add(Path.GetRelativePath(RepoPaths.Root, file));
        }
        return files;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_workflow_and_action_is_valid(string file)
    {
        var outcome = Validate(Path.Combine(RepoPaths.Root, file));
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
    }

    [Fact]
    public void The_repository_has_the_gate_action_and_a_workflow_that_uses_it_on_the_mnist_sample()
    {
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, ".github", "actions", "compress-gate", "action.yml")));
        string ci = File.ReadAllText(Path.Combine(RepoPaths.Root, ".github", "workflows", "ci.yml"));
        Assert.Contains("uses: ./.github/actions/compress-gate", ci);
        Assert.Contains("project: samples/MnistClassifier", ci);
    }

    [Fact]
    public void The_validator_rejects_a_misspelled_workflow_key_and_an_action_without_a_runner()
    {
        string folder = Directory.CreateTempSubdirectory("workflow-yaml-").FullName;
        try
        {
            string workflow = Path.Combine(folder, "ci.yml");
            File.WriteAllText(workflow, File.ReadAllText(Path.Combine(RepoPaths.Root, ".github", "workflows", "ci.yml")).Replace("runs-on:", "runs_on:", StringComparison.Ordinal));
            Assert.Equal(1, Validate(workflow).ExitCode);

            Directory.CreateDirectory(Path.Combine(folder, "gate"));
            string action = Path.Combine(folder, "gate", "action.yml");
            File.WriteAllText(action, File.ReadAllText(Path.Combine(RepoPaths.Root, ".github", "actions", "compress-gate", "action.yml")).Replace("using: composite", "using: compound", StringComparison.Ordinal));
            var outcome = Validate(action);
            Assert.Equal(1, outcome.ExitCode);
            Assert.Contains("/runs/using", outcome.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
