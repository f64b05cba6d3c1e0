using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Compression.Tests.Shared;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// The baseline gate on real training runs: a baseline written by <c>--update-baseline</c>, then a
/// student re-trained with another seed (not a regression), one trained for a single epoch (a
/// regression, with its interval), a changed test set (void, a warning) and an older baseline
/// format (exit 2 naming the file).
/// </summary>
public class BaselineGateTests
{
    private static ProcessRunner.Outcome Compress(string folder, string configPath, params string[] extra) =>
        ProcessRunner.Dotnet([RepoPaths.HostDll, "run", configPath, "--work-dir", Path.Combine(folder, "work"), .. extra], folder, TimeSpan.FromMinutes(10));

    private static JsonObject Config(int epochs)
    {
        JsonObject config = FastConfig.Create();
        JsonObject distill = FastConfig.Stage(config, "distill");
        distill["settings"]!["epochs"] = epochs;
        config["stages"] = new JsonArray(distill.DeepClone(), JsonNode.Parse("""{ "stage": "export" }"""));
        config["baseline"] = JsonNode.Parse("""{ "path": "compression.baseline.json" }""");
        return config;
    }

    [Fact]
    public void Another_seed_passes_one_epoch_regresses_with_its_interval_a_new_test_set_voids_and_an_old_format_exits_2()
    {
        string folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));
        try
        {
            // The baseline: a 3-epoch student. Its teacher is then reused as an ONNX file, so that the
            // runs below differ from the baseline's only in the student's seed or training.
            JsonObject config = Config(epochs: 3);
            var outcome = Compress(folder, FastConfig.Write(config, folder), "--update-baseline");
            Assert.True(outcome.ExitCode == 0, outcome.ToString());
            string baselinePath = Path.Combine(folder, "compression.baseline.json");
            Assert.Contains($"compress: baseline: wrote {baselinePath} and the student model beside it, compression.baseline.onnx (2,004 test samples", outcome.Output);
            var baseline = JsonNode.Parse(File.ReadAllText(baselinePath))!;
            Assert.Equal(3, baseline["format"]!.GetValue<int>());
            Assert.True(File.Exists(Path.Combine(folder, "compression.baseline.onnx")), "the baseline keeps the student model beside it");
            Assert.Equal(2004, baseline["student"]!["correct"]!.GetValue<string>().Length);
            string teacher = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "work", "result.json")))!["teacherModel"]!.GetValue<string>();
            File.Copy(teacher, Path.Combine(folder, "teacher.onnx"));

            config["teacher"] = JsonNode.Parse("""{ "onnx": "teacher.onnx" }""");
            config["seed"] = 43;
            outcome = Compress(folder, FastConfig.Write(config, folder));
            Assert.True(outcome.ExitCode == 0, outcome.ToString());
            Assert.Matches(@"compress: baseline: student accuracy [+-]\d+\.\d\d points \(95% CI [+-]\d+\.\d\d\.\.[+-]\d+\.\d\d, n=2004\) against .*compression\.baseline\.json \(McNemar's exact test\)\n", outcome.Output);
            Assert.DoesNotContain("CMP3101", outcome.Output);

            config["seed"] = 42;
            FastConfig.Stage(config, "distill")["settings"]!["epochs"] = 1;
            string configPath = FastConfig.Write(config, folder);
            outcome = Compress(folder, configPath);
            Assert.True(outcome.ExitCode == 1, outcome.ToString());
            Assert.Matches(@"compression\.json\(\d+,\d+\): error CMP3101: student accuracy \d+\.\d\d% regressed from the baseline's \d+\.\d\d%: -\d+\.\d\d points \(95% CI -\d+\.\d\d\.\.-\d+\.\d\d, n=2004\) by McNemar's exact test over the same test samples \(\d+ now right that the baseline got wrong, \d+ now wrong that it got right; p [<=] [\d.]+\); the whole interval lies below -0\.5 points, the tolerance", outcome.Output);
            var result = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "work", "result.json")))!;
            Assert.True(result["baseline"]!["accuracy"]!["regressed"]!.GetValue<bool>());
            Assert.True(result["baseline"]!["accuracy"]!["highPoints"]!.GetValue<double>() < -0.5);

            // The first 1,000 test digits only: no sample can be paired with the baseline's.
            config["data"]!["test"]!["features"] = Subset(Path.Combine(RepoPaths.SampleData, "test-images-idx3-ubyte.gz"), Path.Combine(folder, "test-images"), 1000);
            config["data"]!["test"]!["labels"] = Subset(Path.Combine(RepoPaths.SampleData, "test-labels-idx1-ubyte.gz"), Path.Combine(folder, "test-labels"), 1000);
            outcome = Compress(folder, FastConfig.Write(config, folder));
            Assert.True(outcome.ExitCode == 0, outcome.ToString());
            Assert.Matches(@"compression\.json\(\d+,\d+\): warning CMP3102: the accuracy comparison with the baseline .*compression\.baseline\.json is void: its test data \(sha256 [0-9a-f]{12}, 2,004 samples\) is not this run's \(sha256 [0-9a-f]{12}, 1,000 samples\)", outcome.Output);
            Assert.DoesNotContain("CMP3101", outcome.Output);

            File.WriteAllText(baselinePath, """{ "metrics": { "student.accuracy": 0.97 } }""");
            outcome = Compress(folder, configPath);
            Assert.True(outcome.ExitCode == 2, outcome.ToString());
            Assert.Contains($"{baselinePath}(1,1): error CMP3103: baseline file {baselinePath} has no 'format' field", outcome.Output);
            Assert.DoesNotContain("evaluate:", outcome.Output); // refused before anything ran
            outcome = ProcessRunner.Dotnet([RepoPaths.HostDll, "validate", configPath], folder, TimeSpan.FromMinutes(2));
            Assert.True(outcome.ExitCode == 2, outcome.ToString());
            Assert.Contains($"{baselinePath}(1,1): error CMP3103: ", outcome.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_baseline_models_latency_gate_passes_an_unchanged_student_beside_two_busy_processes_and_fails_a_slower_one()
    {
        string folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));
        try
        {
            JsonObject config = FastConfig.Create();
            config["baseline"] = JsonNode.Parse("""{ "path": "compression.baseline.json", "latencyTolerance": 0.5 }""");
            string configPath = FastConfig.Write(config, folder);
            var outcome = Compress(folder, configPath, "--update-baseline");
            Assert.True(outcome.ExitCode == 0, outcome.ToString());

            // The same config again, with two CPU-bound processes beside it: the stages come from the
            // cache, the student is the baseline's, and only the timing sees the load.
            using (BusyLoops.Start(2))
            {
                outcome = Compress(folder, configPath);
            }
            Assert.True(outcome.ExitCode == 0, outcome.ToString());
            Assert.Matches(@"compress: baseline: student latency at batch 64 \d+\.\d\dx the baseline model's \(\d+\.\d\dx\.\.\d+\.\d\dx over \d+ interleaved rounds\): (within the tolerance|inconclusive)", outcome.Output);
            Assert.DoesNotContain("CMP3101", outcome.Output);

            // A student with 16x the channels in its second conv: slower whatever the load.
            var layers = FastConfig.Stage(config, "distill")["settings"]!["student"]!["layers"]!.AsArray();
            layers.Single(l => l!["type"]!.GetValue<string>() == "conv2d" && l["out"]!.GetValue<int>() == 32)!["out"] = 512;
            outcome = Compress(folder, FastConfig.Write(config, folder));
            Assert.True(outcome.ExitCode == 1, outcome.ToString());
            Assert.Matches(@"compression\.json\(\d+,\d+\): error CMP3101: student latency at batch 64 rose to \d+\.\d{3} ms from the baseline model's \d+\.\d{3} ms, both timed now: \d+\.\d\dx \(95% CI \d+\.\d\dx\.\.\d+\.\d\dx, paired t over interleaved rounds: \d+ rounds of the two models timed side by side\), wholly above the tolerance of 1\.50x", outcome.Output);
            var result = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "work", "result.json")))!;
            Assert.Contains(result["baseline"]!["latency"]!.AsArray(), l => l!["verdict"]!.GetValue<string>() == "regressed");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Writes the first <paramref name="count"/> items of a gzipped IDX file as a raw IDX file.</summary>
    private static string Subset(string gzipped, string output, int count)
    {
        using var input = new GZipStream(File.OpenRead(gzipped), CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        input.CopyTo(buffer);
        byte[] bytes = buffer.ToArray();
        int dimensions = bytes[3];
        long itemSize = 1;
        for (int d = 1; d < dimensions; d++)
        {
            itemSize *= BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + (4 * d)));
        }
        int header = 4 + (4 * dimensions);
        byte[] subset = bytes[..(header + (int)(itemSize * count))];
        BinaryPrimitives.WriteInt32BigEndian(subset.AsSpan(4), count);
        File.WriteAllBytes(output, subset);
        return output;
    }
}
