using System.Text.Json.Nodes;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// Two apps on one machine with the same teacher spec, data and seed: the second reuses the teacher
/// the first trained, through the shared teacher cache, though their work folders differ; a corrupt
/// shared entry is trained again, never served; "off" keeps teachers in the work folder.
/// </summary>
public sealed class SharedTeacherCacheTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private ProcessRunner.Outcome Run(string app, string teacherCache)
    {
        JsonObject config = FastConfig.Create();
        config["stages"] = new JsonArray(FastConfig.Stage(config, "distill").DeepClone(), JsonNode.Parse("""{ "stage": "export" }"""));
        string configPath = FastConfig.Write(config, Path.Combine(_folder, app));
        return ProcessRunner.Dotnet(
            [RepoPaths.HostDll, "run", configPath, "--work-dir", Path.Combine(_folder, app, "obj"), "--teacher-cache", teacherCache],
            _folder, TimeSpan.FromMinutes(10));
    }

    [Fact]
    public void A_second_app_reuses_the_teacher_the_first_trained_a_corrupt_entry_is_retrained_and_off_keeps_it_local()
    {
        string shared = Path.Combine(_folder, "teachers");

        var first = Run("app1", shared);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("compress: teacher: training the", first.Output);
        Assert.Contains($"compress: teacher cache: {shared} (shared by the projects on this machine", first.Output);

        var second = Run("app2", shared);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("compress: teacher: reused from the cache", second.Output);
        Assert.DoesNotContain("teacher: training", second.Output);

        // Flip one byte of the shared teacher: the cache re-hashes on read and trains it again.
        string teacher = Directory.GetFiles(shared, "teacher.onnx", SearchOption.AllDirectories).Single();
        byte[] bytes = File.ReadAllBytes(teacher);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(teacher, bytes);
        var third = Run("app3", shared);
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Contains("compress: teacher: training the", third.Output);

        var local = Run("app4", "off");
        Assert.True(local.ExitCode == 0, local.ToString());
        Assert.Contains("compress: teacher: training the", local.Output);
        Assert.DoesNotContain("teacher cache:", local.Output);
    }

    [Fact]
    public async Task Two_apps_building_at_once_with_one_shared_cache_both_pass_and_leave_one_valid_entry()
    {
        string shared = Path.Combine(_folder, "teachers");

        var runs = await Task.WhenAll(Task.Run(() => Run("a", shared)), Task.Run(() => Run("b", shared)));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.ToString()));
        string teacher = Assert.Single(Directory.GetFiles(shared, "teacher.onnx", SearchOption.AllDirectories));
        Assert.Empty(Directory.Exists(Path.Combine(shared, ".tmp")) ? Directory.GetDirectories(Path.Combine(shared, ".tmp")) : []); // no scratch left behind
        var again = Run("c", shared);
        Assert.Contains("compress: teacher: reused from the cache", again.Output);
        Assert.True(File.Exists(teacher));
    }
}
