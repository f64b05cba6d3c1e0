using System.Text.Json;
using Compression.Core.Diagnostics;
using Compression.Models;
using Compression.Models.Layers;
using Compression.Models.Spec;
using Compression.Tests.Shared;

namespace Compression.Host.Tests.Plugins;

/// <summary>
/// A layer kind a plugin registers (tests/Fixtures/ScaleLayerPlugin, loaded like a third party's) is
/// known to every spec the host parses afterwards: a student, a teacher, a saved torch-model artifact.
/// </summary>
public sealed class PluginLayerTypeTests : IDisposable
{
    private static readonly string s_pluginFolder = Path.Combine(RepoRoot.Path, "tests", "Fixtures", "ScaleLayerPlugin", "bin",
#if DEBUG
        "Debug",
#else
        "Release",
#endif
        "net10.0");

    private static string PluginPath => Path.Combine(s_pluginFolder, "ScaleLayerPlugin.dll");

    /// <summary>The registry is process-wide: leave it as the other tests expect it.</summary>
    public void Dispose() => LayerTypes.Use(LayerTypes.BuiltIn);

    [Fact]
    public void A_plugins_layer_kind_parses_builds_and_survives_a_torch_model_artifact_round_trip()
    {
        var (host, _) = PipelineServices.Build(config: null, verbose: false, [PluginPath]);
        using (host)
        {
            Assert.Equal("scale", LayerTypes.Current.All[^1].Name);
            ModelSpec spec = ModelSpec.Parse(JsonDocument.Parse("""{"input":[4],"layers":[{"type":"linear","out":3},{"type":"scale","init":2}]}""").RootElement, "student");
            using SequentialModel model = ModelFactory.Create(spec, seed: 1);
            string folder = Path.Combine(Path.GetTempPath(), "compression-tests", Guid.NewGuid().ToString("N"));
            try
            {
                TorchModelArtifact.Save(model, folder);
                using SequentialModel loaded = TorchModelArtifact.Load(folder);
                Assert.Equal(spec.ToJson(), loaded.Spec.ToJson());
                Assert.Equal("scale", loaded.Spec.Layers[1].Type.Name);
                Assert.Equal(model.ParameterCount, loaded.ParameterCount);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public void Two_plugins_adding_a_layer_kind_of_one_name_are_a_CMP1009_naming_both()
    {
        string copy = Path.Combine(Path.GetTempPath(), "compression-tests", Guid.NewGuid().ToString("N"), "ScaleLayerPlugin");
        Directory.CreateDirectory(copy);
        try
        {
            foreach (string file in Directory.GetFiles(s_pluginFolder))
            {
                File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            }
            var error = Assert.Throws<CompressionException>(() => PipelineServices.Build(config: null, verbose: false, [PluginPath, copy]));
            Finding finding = Assert.Single(error.Findings);
            Assert.Equal(ErrorCodes.PluginLoad, finding.Code);
            Assert.Contains("two layer types are named 'scale'", finding.Message, StringComparison.Ordinal);
            Assert.Contains(PluginPath, finding.Message, StringComparison.Ordinal);
            Assert.Contains(Path.Combine(copy, "ScaleLayerPlugin.dll"), finding.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(copy)!, recursive: true);
        }
    }
}
