using Compression.Data.Tests.Fuzz;
using Google.Protobuf;

namespace Compression.Onnx.Tests;

/// <summary>
/// Issue 12: random mutations of a valid model file (fixed seed, bounded count) are either read or
/// refused with <see cref="OnnxFormatException"/>, by our reader, the size checks that run before
/// ONNX Runtime, and the session that loads it; never another exception, never unbounded memory.
/// </summary>
public class OnnxReaderFuzzTests
{
    [Fact]
    public void Mutated_model_files_are_read_or_refused_with_a_format_error()
    {
        byte[] valid = TinyModels.GemmRelu().ToByteArray();
        string folder = Path.Combine(Path.GetTempPath(), "compression-onnx-fuzz", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        int refused = 0, index = 0;
        try
        {
            foreach (byte[] mutated in Mutator.Cases(valid, 300, seed: 21))
            {
                string path = Path.Combine(folder, $"case-{index++}.onnx");
                File.WriteAllBytes(path, mutated);
                long before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    // The preflight's scan runs before any reader, so it meets every file on its own.
                    OnnxModelInfo.DeclaredInitializerBytes(path);
                }
                catch (OnnxFormatException)
                {
                }
                catch (Exception ex)
                {
                    Assert.Fail($"case {index - 1}: the initializer scan threw {ex.GetType().Name}: {ex.Message}");
                }
                try
                {
                    var model = OnnxModelFile.Read(path);
                    OnnxModelInfo.CountParameters(model);
                    using var session = new OnnxInferenceSession(path);
                }
                catch (OnnxFormatException)
                {
                    refused++;
                }
                catch (Exception ex)
                {
                    Assert.Fail($"case {index - 1} threw {ex.GetType().Name}: {ex.Message}");
                }
                Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64L << 20, $"case {index - 1} allocated too much");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        Assert.True(refused > 0);
    }
}
