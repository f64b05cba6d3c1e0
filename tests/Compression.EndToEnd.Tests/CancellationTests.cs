using System.Diagnostics;
using System.Text;

namespace Compression.EndToEnd.Tests;

public class CancellationTests
{
    [Fact]
    public void Ctrl_C_during_training_exits_130_and_leaves_nothing_in_the_cache()
    {
        string folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));
        try
        {
            var config = FastConfig.Create();
            config["teacher"]!["training"]!["epochs"] = 200;
            string configPath = FastConfig.Write(config, folder);
            string work = Path.Combine(folder, "work");

            // Through `env --default-signal=INT` (it execs dotnet: same pid): a shell that starts a job in the
            // background without job control (as CI scripts do) has it ignore SIGINT, the child inherits that,
            // and the runtime rightly keeps an ignored SIGINT ignored. A user's Ctrl+C reaches a foreground
            // process with the default disposition, which is what this test is about.
            var info = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string argument in new[] { "--default-signal=INT", "dotnet", RepoPaths.HostDll, "run", configPath, "--work-dir", work })
            {
                info.ArgumentList.Add(argument);
            }
            var output = new StringBuilder();
            using var started = new ManualResetEventSlim();
            using var process = new Process { StartInfo = info };
            process.OutputDataReceived += (_, e) =>
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
                // The first epoch report (a 200-epoch run reports every 10th: SupervisedTrainer.IsReportedEpoch).
                if (e.Data?.Contains("teacher: epoch 10/200", StringComparison.Ordinal) == true)
                {
                    started.Set();
                }
            };
            // stderr is drained too: a child whose stderr pipe fills blocks, and would look like a hang here.
            var errors = new StringBuilder();
            process.ErrorDataReceived += (_, e) =>
            {
                lock (errors)
                {
                    errors.AppendLine(e.Data);
                }
            };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            Assert.True(started.Wait(TimeSpan.FromMinutes(2)), $"training never started:\n{output}");

            using (var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                interrupt.WaitForExit();
            }
            // A hang detector, not a timing: generous, because CI runs these tests in parallel on 2 shared cores.
            if (!process.WaitForExit(TimeSpan.FromMinutes(4)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"compress did not stop within 4 minutes of Ctrl+C\nstdout:\n{output}\nstderr:\n{errors}");
            }
            process.WaitForExit();

            Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}\n{output}");
            Assert.Contains("compress: cancelled; nothing partial was kept in the cache", output.ToString());
            string cache = Path.Combine(work, "cache");
            Assert.Equal([Path.Combine(cache, ".tmp")], Directory.GetDirectories(cache));
            Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(cache, ".tmp")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
