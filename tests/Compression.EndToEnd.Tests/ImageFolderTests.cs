using System.Text.Json.Nodes;
using SkiaSharp;

namespace Compression.EndToEnd.Tests;

/// <summary>
/// An image-folder data set (<c>"format": "images"</c>, the first-party images plugin loaded by the
/// host like any plugin, SkiaSharp's native library found from there): synthetic 12 x 12 PNG and JPEG
/// images of three classes a small model separates, grayscale and RGB, through a spec teacher,
/// distill, export, quantize and the budgets; and the bad images a user brings, each exit 2 naming the file.
/// </summary>
public sealed class ImageFolderTests : IDisposable
{
    private static readonly string[] s_classes = ["checks", "columns", "rows"];
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "compression-e2e", Guid.NewGuid().ToString("N"));

    public ImageFolderTests()
    {
        Directory.CreateDirectory(_folder);
        WriteSplit("train", 50, seed: 1);
        WriteSplit("test", 20, seed: 2);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void An_rgb_image_folder_runs_through_distill_export_quantize_and_the_budgets_and_a_second_run_decodes_nothing()
    {
        string config = Write(Config(channels: 3, layout: "NCHW", input: "[3, 12, 12]", layers: Conv));

        var first = Run(config);
        var second = Run(config);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("compress: data: 135 train / 15 validation / 60 test samples of [3, 12, 12], 3 classes", first.Output);
        Assert.Contains("compress: data: train: decoding 150 images", first.Output);
        Assert.True(File.Exists(Path.Combine(_folder, "out", "model.onnx")));
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("compress: data: train: 150 images read from the decoded-image cache", second.Output);
        Assert.Contains("compress: data: test: 60 images read from the decoded-image cache", second.Output);
        Assert.DoesNotContain("decoding", second.Output);
        string inputs = File.ReadAllText(Path.Combine(_folder, "work", "inputs.txt"));
        Assert.Contains(Path.Combine(_folder, "images", "train", "rows", "0.png"), inputs);
        Assert.Contains(Path.Combine(_folder, "images", "test", "checks", "1.jpg"), inputs);
    }

    [Fact]
    public void A_folder_streamed_from_its_decoded_file_gives_the_figures_and_models_it_gives_in_memory()
    {
        // One thread, so that training and evaluation are reproducible to the last bit (with more,
        // reductions split differently from run to run); the same config file, the second time with
        // the one setting changed.
        JsonObject memoryConfig = Config(channels: 3, layout: "NCHW", input: "[3, 12, 12]", layers: Conv);
        memoryConfig["threads"] = 1;
        JsonObject streamedConfig = memoryConfig.DeepClone().AsObject();
        streamedConfig["data"]!["settings"]!["stream"] = "always";

        var memoryRun = Run(Write(memoryConfig), "work-memory");
        var streamedRun = Run(Write(streamedConfig), "work-streamed");

        Assert.True(memoryRun.ExitCode == 0, memoryRun.ToString());
        Assert.True(streamedRun.ExitCode == 0, streamedRun.ToString());
        Assert.Contains("compress: data: train: decoding 150 images into ", streamedRun.Output);
        Assert.Contains("(served from that file a batch at a time)", streamedRun.Output);
        JsonNode memoryResult = JsonNode.Parse(File.ReadAllText(Path.Combine(_folder, "work-memory", "result.json")))!;
        JsonNode streamedResult = JsonNode.Parse(File.ReadAllText(Path.Combine(_folder, "work-streamed", "result.json")))!;
        string[] timings = ["seconds", "latency", "throughput"];
        var figures = memoryResult["metrics"]!.AsObject().Where(metric => !timings.Any(metric.Key.Contains)).ToList();
        Assert.Contains(figures, metric => metric.Key == "student.accuracy");
        Assert.All(figures, metric => Assert.Equal(metric.Value!.ToJsonString(), streamedResult["metrics"]![metric.Key]!.ToJsonString()));
        Assert.Equal(File.ReadAllBytes(memoryResult["studentModel"]!.GetValue<string>()), File.ReadAllBytes(streamedResult["studentModel"]!.GetValue<string>()));
    }

    [Fact]
    public void A_grayscale_nhwc_image_folder_trains_a_dense_student()
    {
        string config = Write(Config(channels: 1, layout: "NHWC", input: "[12, 12, 1]", layers: Dense));

        var outcome = Run(config);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("samples of [12, 12, 1], 3 classes", outcome.Output);
    }

    [Fact]
    public void A_corrupt_image_and_an_empty_class_folder_are_exit_2_naming_the_file_and_the_folder()
    {
        string config = Write(Config(channels: 3, layout: "NCHW", input: "[3, 12, 12]", layers: Conv));
        string corrupt = Path.Combine(_folder, "images", "train", "columns", "6.png");
        File.WriteAllBytes(corrupt, [.. File.ReadAllBytes(corrupt).Take(40)]);
        var truncated = Run(config);
        File.Delete(corrupt);
        string empty = Path.Combine(_folder, "images", "test", "rows");
        foreach (string file in Directory.GetFiles(empty))
        {
            File.Delete(file);
        }
        var emptyFolder = Run(config);
        string settings = Write(Config(channels: 2, layout: "NCHW", input: "[3, 12, 12]", layers: Conv));
        var channels = ProcessRunner.Dotnet([RepoPaths.HostDll, "validate", settings], _folder, TimeSpan.FromMinutes(2));

        Assert.True(truncated.ExitCode == 2, truncated.ToString());
        Assert.Contains($"{corrupt}: error CMP2001: 6.png: not a PNG or JPEG image that can be decoded", truncated.Output);
        Assert.True(emptyFolder.ExitCode == 2, emptyFolder.ToString());
        Assert.Contains($"{empty}: error CMP2001: {empty}: the class folder 'rows' holds no images", emptyFolder.Output);
        Assert.True(channels.ExitCode == 2, channels.ToString());
        Assert.Contains("error CMP1", channels.Output);
        Assert.Contains("'data.settings.channels': expected 1 (grayscale) or 3 (RGB), got 2", channels.Output);
    }

    private const string Conv = """
        { "type": "conv2d", "out": 8, "kernel": 3, "padding": 1 }, { "type": "relu" }, { "type": "maxpool2d", "kernel": 2 },
        { "type": "flatten" }, { "type": "linear", "out": 3 }
        """;

    private const string Dense = """{ "type": "flatten" }, { "type": "linear", "out": 24 }, { "type": "relu" }, { "type": "linear", "out": 3 }""";

    private ProcessRunner.Outcome Run(string configPath) =>
        ProcessRunner.Dotnet([RepoPaths.HostDll, "run", configPath, "--work-dir", Path.Combine(_folder, "work"), "--copy-model-to", Path.Combine(_folder, "out", "model.onnx")], _folder, TimeSpan.FromMinutes(5));

    /// <summary>A run in its own work folder that trains its own teacher (no shared teacher cache).</summary>
    private ProcessRunner.Outcome Run(string configPath, string workFolder) =>
        ProcessRunner.Dotnet([RepoPaths.HostDll, "run", configPath, "--work-dir", Path.Combine(_folder, workFolder), "--teacher-cache", "off"], _folder, TimeSpan.FromMinutes(5));

    private string Write(JsonObject config) => FastConfig.Write(config, _folder);

    private static JsonObject Config(int channels, string layout, string input, string layers) => JsonNode.Parse($$"""
        {
          "seed": 7,
          "data": {
            "format": "images",
            "train": { "path": "images/train" },
            "test": { "path": "images/test" },
            "settings": { "size": [12, 12], "channels": {{channels}}, "layout": "{{layout}}", "resize": "stretch" }
          },
          "teacher": {
            "model": { "input": {{input}}, "layers": [ { "type": "flatten" }, { "type": "linear", "out": 64 }, { "type": "relu" }, { "type": "linear", "out": 3 } ] },
            "training": { "epochs": 8, "batchSize": 16, "learningRate": 0.003 }
          },
          "stages": [
            { "stage": "distill", "settings": { "student": { "input": {{input}}, "layers": [ {{layers}} ] }, "epochs": 20, "batchSize": 16, "learningRate": 0.01, "repeats": 1, "compareWithScratch": false } },
            { "stage": "export" },
            { "stage": "quantize" }
          ],
          "budgets": { "minAccuracyRetention": 0.8, "maxModelBytes": 200000 }
        }
        """)!.AsObject();

    /// <summary>
    /// <paramref name="perClass"/> images per class: checks, columns or rows of a random colour on a
    /// dark ground with noise, 12 x 12; even-numbered images are PNG, odd ones JPEG.
    /// </summary>
    private void WriteSplit(string split, int perClass, int seed)
    {
        var random = new Random(seed);
        for (int c = 0; c < s_classes.Length; c++)
        {
            string folder = Path.Combine(_folder, "images", split, s_classes[c]);
            Directory.CreateDirectory(folder);
            for (int i = 0; i < perClass; i++)
            {
                var colour = new SKColor((byte)random.Next(120, 256), (byte)random.Next(120, 256), (byte)random.Next(120, 256));
                int phase = random.Next(2);
                using var bitmap = new SKBitmap(new SKImageInfo(12, 12, SKColorType.Rgba8888, SKAlphaType.Unpremul));
                for (int y = 0; y < 12; y++)
                {
                    for (int x = 0; x < 12; x++)
                    {
                        bool on = c switch
                        {
                            0 => ((x / 2) + (y / 2) + phase) % 2 == 0,
                            1 => ((x / 2) + phase) % 2 == 0,
                            _ => ((y / 2) + phase) % 2 == 0,
                        };
                        byte noise = (byte)random.Next(0, 40);
                        bitmap.SetPixel(x, y, on ? colour : new SKColor(noise, noise, noise));
                    }
                }
                bool png = i % 2 == 0;
                using SKData data = bitmap.Encode(png ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg, 95);
                File.WriteAllBytes(Path.Combine(folder, $"{i}.{(png ? "png" : "jpg")}"), data.ToArray());
            }
        }
    }
}
