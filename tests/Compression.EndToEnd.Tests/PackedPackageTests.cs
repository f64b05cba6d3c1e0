using System.Globalization;
using System.Text;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// What a user outside this repo gets: the README's `dotnet pack src/Compression.Build -c Release -o
/// feed`, run in a copy of the repo as a fresh clone has it (no earlier build: it caught NETSDK1004),
/// then an app in a temp folder that references the package, with a CSV data set and a config that
/// uses every stage (distill with repeats, prune, export, quantize, calibrate, benchmark), a
/// committed baseline and a licence policy. `dotnet build` assembles the runtime from NuGet, runs the
/// pipeline and gates it.
/// </summary>
public sealed class PackedPackageTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));
    private readonly string _version = $"0.1.0-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
            LocalFeed.Forget(_version, ["Compression.Build"]);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void An_app_referencing_the_package_packed_from_a_fresh_clone_runs_every_stage_with_repeats_and_a_baseline()
    {
        string clone = FreshClone.CopyTo(Path.Combine(_root, "clone"));
        string feed = Path.Combine(_root, "feed");
        // The README's command, with a version of its own so that nothing stale comes from the NuGet cache.
        var pack = ProcessRunner.Dotnet(["pack", "src/Compression.Build", "-c", "Release", "-o", feed, $"-p:Version={_version}"], clone, TimeSpan.FromMinutes(30));
        Assert.True(pack.ExitCode == 0, pack.ToString());

        string app = Path.Combine(_root, "app");
        Directory.CreateDirectory(app);
        LocalFeed.Configure(app, feed);
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Compression.Build" Version="{_version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), "System.Console.WriteLine(\"app\");\n");
        WriteCsv(Path.Combine(app, "train.csv"), 400, 1);
        WriteCsv(Path.Combine(app, "test.csv"), 150, 2);
        string config = Path.Combine(app, "compression.json");
        File.WriteAllText(config, Config(minRetention: "0.5"));

        // First build: assembles the runtime (and says so), runs every stage and writes the baseline.
        var build = ProcessRunner.Dotnet(["build", "-p:CompressionUpdateBaseline=true"], app, TimeSpan.FromMinutes(30));
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("compress: one-time setup: assembling the compress runtime", build.Output);
        Assert.Contains("compress: passed", build.Output);
        Assert.Matches(@"KD gain [+-]\d+\.\d\d points \(95% CI [^)]*n=3", build.Output);
        Assert.True(File.Exists(Path.Combine(app, "compression.baseline.json")), build.Output);
        Assert.True(File.Exists(Path.Combine(app, "obj", "compression", "bom.cdx.json")), "the ML-BOM is written");
        string model = Path.Combine(app, "bin", "Debug", "net10.0", "model.onnx");
        Assert.True(File.Exists(model), "the student is copied to the app's output");
        AssertRuntimeHasEveryAssemblyOfTheHost(Path.Combine(clone, "src", "Compression.Host", "bin", "Release", "net10.0"), Path.Combine(app, "obj", "compression", "runtime", "bin"));

        // The provenance the shipped model carries, read by the runtime's own `compress inspect`.
        var inspect = ProcessRunner.Dotnet([Path.Combine(app, "obj", "compression", "runtime", "bin", "compress-runtime.dll"), "inspect", model], app);
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        Assert.Matches(@"lineage +teacher 'teacher' .*-> distill .*-> prune .*-> export .*-> quantize .*-> calibrate .*-> benchmark", inspect.Output);
        Assert.Contains("licence MIT", inspect.Output);

        // Second build: compared with the baseline it wrote, and gated on a budget it misses.
        File.WriteAllText(config, Config(minRetention: "1.5"));
        var failing = ProcessRunner.Dotnet(["build"], app, TimeSpan.FromMinutes(30));
        int budgetLine = Array.FindIndex(File.ReadAllLines(config), l => l.Contains("minAccuracyRetention", StringComparison.Ordinal)) + 1;
        Assert.True(failing.ExitCode != 0, failing.ToString());
        Assert.Contains("compress: baseline: student accuracy", failing.Output);
        Assert.Contains($"{config}({budgetLine},", failing.Output);
        Assert.Contains("error CMP3001", failing.Output);
        Assert.DoesNotContain("CMP9004", failing.Output);
        Assert.DoesNotContain("one-time setup", failing.Output);
    }

    // The runtime restores its packages from a list generated from the host's deps.json; a package
    // the host runs with and the runtime lacks would be a FileNotFoundException at run time.
    private static void AssertRuntimeHasEveryAssemblyOfTheHost(string host, string runtime)
    {
        var missing = Directory.GetFiles(host, "*.dll").Select(Path.GetFileName)
            .Where(name => !File.Exists(Path.Combine(runtime, name!)))
            .ToList();
        Assert.True(missing.Count == 0, $"the packaged runtime lacks assemblies the host runs with: {string.Join(", ", missing)}");
    }

    private static string Config(string minRetention) => $$"""
        {
          "data": { "format": "csv", "train": { "path": "train.csv" }, "test": { "path": "test.csv" }, "normalization": "standardize", "license": "MIT" },
          "teacher": {
            "model": { "input": [4], "layers": [ { "type": "linear", "out": 64 }, { "type": "relu" }, { "type": "linear", "out": 3 } ] },
            "training": { "epochs": 3, "batchSize": 32, "learningRate": 0.01 },
            "license": "MIT"
          },
          "stages": [
            { "stage": "distill", "settings": {
                "student": { "input": [4], "layers": [ { "type": "linear", "out": 32, "name": "hidden" }, { "type": "relu" }, { "type": "linear", "out": 3 } ] },
                "epochs": 3, "batchSize": 32, "learningRate": 0.01, "repeats": 3 } },
            { "stage": "prune", "settings": { "targetFlopsRatio": 0.5, "steps": 1, "fineTuneEpochs": 1, "batchSize": 32, "learningRate": 0.01 } },
            { "stage": "export" },
            { "stage": "quantize" },
            { "stage": "calibrate" },
            { "stage": "benchmark", "settings": { "batchSizes": [1], "warmup": 2, "iterations": 20 } }
          ],
          "baseline": { "path": "compression.baseline.json" },
          "licensePolicy": { "allow": ["MIT"], "requireLicense": true },
          "budgets": {
            "minAccuracyRetention": {{minRetention}}
          }
        }
        """;

    private static void WriteCsv(string path, int rows, int seed)
    {
        var random = new Random(seed);
        var csv = new StringBuilder("x1,x2,x3,x4,label\n");
        for (int i = 0; i < rows; i++)
        {
            int c = i % 3;
            csv.AppendJoin(',', Enumerable.Range(0, 4).Select(j => ((j == c ? 2.0 : 0.0) + ((random.NextDouble() - 0.5) * 1.6)).ToString("0.###", CultureInfo.InvariantCulture)));
            csv.Append(CultureInfo.InvariantCulture, $",{c}\n");
        }
        File.WriteAllText(path, csv.ToString());
    }
}
