using System.Globalization;
using System.Text;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// What a user outside this repo gets: `dotnet pack` of Compression.Build into a folder feed, an
/// app in a temp folder that references it and brings a compression.json over a CSV data set it
/// wrote, and `dotnet build` runs the pipeline (the package assembles its runtime from NuGet) and
/// gates it.
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
            string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            string cached = Path.Combine(packages, "compression.build", _version);
            if (Directory.Exists(cached))
            {
                Directory.Delete(cached, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void An_app_referencing_the_packed_package_runs_and_gates_the_pipeline_on_build()
    {
        string feed = Path.Combine(_root, "feed");
        var pack = ProcessRunner.Dotnet(
            ["pack", Path.Combine(RepoPaths.Root, "src", "Compression.Build", "Compression.Build.csproj"), "--no-build", "-c", RepoPaths.Configuration, "-o", feed, $"-p:Version={_version}"],
            RepoPaths.Root);
        Assert.True(pack.ExitCode == 0, pack.ToString());

        string app = Path.Combine(_root, "app");
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="compression-e2e" value="{feed}" />
              </packageSources>
            </configuration>
            """);
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
        WriteCsv(Path.Combine(app, "train.csv"), 600, 1);
        WriteCsv(Path.Combine(app, "test.csv"), 150, 2);
        string config = Path.Combine(app, "compression.json");
        File.WriteAllText(config, Config(minRetention: "0.8"));

        var build = ProcessRunner.Dotnet(["build"], app);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("compress: passed", build.Output);
        Assert.True(File.Exists(Path.Combine(app, "bin", "Debug", "net10.0", "model.onnx")), "the student is copied to the app's output");

        File.WriteAllText(config, Config(minRetention: "1.5"));
        var failing = ProcessRunner.Dotnet(["build"], app);
        int budgetLine = Array.FindIndex(File.ReadAllLines(config), l => l.Contains("minAccuracyRetention", StringComparison.Ordinal)) + 1;
        Assert.True(failing.ExitCode != 0, failing.ToString());
        Assert.Contains($"{config}({budgetLine},", failing.Output);
        Assert.Contains("error CMP3001", failing.Output);
    }

    private static string Config(string minRetention) => $$"""
        {
          "data": { "format": "csv", "train": { "path": "train.csv" }, "test": { "path": "test.csv" }, "normalization": "standardize" },
          "teacher": {
            "model": { "input": [4], "layers": [ { "type": "linear", "out": 64 }, { "type": "relu" }, { "type": "linear", "out": 3 } ] },
            "training": { "epochs": 5, "batchSize": 32, "learningRate": 0.01 }
          },
          "stages": [
            { "stage": "distill", "settings": { "student": { "input": [4], "layers": [ { "type": "linear", "out": 3 } ] }, "epochs": 5, "batchSize": 32, "learningRate": 0.01 } },
            { "stage": "export" },
            { "stage": "benchmark", "settings": { "batchSizes": [1], "warmup": 2, "iterations": 20 } }
          ],
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
