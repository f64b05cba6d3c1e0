using Compression.Models.Import;
using Compression.Onnx.Proto;
using static TorchSharp.torch;

namespace Compression.Models.Tests.Import;

/// <summary>
/// One of the ONNX project's backend node tests as Debian's libonnx-testdata installs them: a folder
/// with model.onnx and test_data_set_0/input_N.pb, output_N.pb (TensorProtos, in graph order).
/// </summary>
internal sealed class BackendTestCase
{
    public const string Root = "/usr/share/libonnx-testdata/data/node";

    private BackendTestCase(string folder)
    {
        Folder = folder;
    }

    public string Folder { get; }

    public string ModelPath => Path.Combine(Folder, "model.onnx");

    /// <summary>The test folder named <paramref name="name"/>; fails, saying what to install, when the test data is missing.</summary>
    public static BackendTestCase Open(string name)
    {
        Assert.True(Directory.Exists(Root), $"ONNX backend test data not found at {Root}: apt-get install libonnx-testdata");
        string folder = Path.Combine(Root, name);
        Assert.True(File.Exists(Path.Combine(folder, "model.onnx")), $"{folder}/model.onnx not found (libonnx-testdata without this test?): apt-get install libonnx-testdata");
        return new BackendTestCase(folder);
    }

    /// <summary>The inputs of data set 0, named after the graph inputs they feed.</summary>
    public Dictionary<string, Tensor> Inputs(OnnxGraphModule module) =>
        module.InputNames.Select((name, i) => (name, value: Read($"input_{i}.pb"))).ToDictionary(p => p.name, p => p.value);

    /// <summary>The expected outputs of data set 0, named after the graph outputs.</summary>
    public Dictionary<string, TensorValues> ExpectedOutputs(OnnxGraphModule module) =>
        module.OutputNames.Select((name, i) => (name, value: TensorValues.Of(Read($"output_{i}.pb")))).ToDictionary(p => p.name, p => p.value);

    private Tensor Read(string file) =>
        OnnxTensors.ToTensor(TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(Folder, "test_data_set_0", file))));
}
