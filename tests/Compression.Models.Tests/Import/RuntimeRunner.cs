using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = TorchSharp.torch.Tensor;
using static TorchSharp.torch;

namespace Compression.Models.Tests.Import;

/// <summary>
/// Runs an ONNX file in ONNX Runtime on named TorchSharp tensors of any element type the importer
/// handles and returns every output by name: the independent judge for graphs with several inputs
/// or outputs, which <c>OnnxInferenceSession</c> (one float input) does not run.
/// </summary>
internal static class RuntimeRunner
{
    public static Dictionary<string, TensorValues> Run(string modelPath, IReadOnlyDictionary<string, Tensor> inputs)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(modelPath, options);
        var names = inputs.Keys.ToArray();
        var values = names.Select(n => ToOrt(inputs[n])).ToArray();
        try
        {
            string[] outputNames = [.. session.OutputMetadata.Keys];
            using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(new RunOptions(), names, values, outputNames);
            return outputNames.Select((name, i) => (name, value: FromOrt(outputs[i]))).ToDictionary(p => p.name, p => p.value);
        }
        finally
        {
            foreach (OrtValue value in values)
            {
                value.Dispose();
            }
        }
    }

    private static OrtValue ToOrt(Tensor tensor)
    {
        using Tensor t = tensor.detach().cpu().contiguous();
        long[] shape = t.shape;
        return t.dtype switch
        {
            ScalarType.Float32 => OrtValue.CreateTensorValueFromMemory(Values<float>(t), shape),
            ScalarType.Float64 => OrtValue.CreateTensorValueFromMemory(Values<double>(t), shape),
            ScalarType.Int64 => OrtValue.CreateTensorValueFromMemory(Values<long>(t), shape),
            ScalarType.Int32 => OrtValue.CreateTensorValueFromMemory(Values<int>(t), shape),
            ScalarType.Int16 => OrtValue.CreateTensorValueFromMemory(Values<short>(t), shape),
            ScalarType.Int8 => OrtValue.CreateTensorValueFromMemory(Values<sbyte>(t), shape),
            ScalarType.Byte => OrtValue.CreateTensorValueFromMemory(Values<byte>(t), shape),
            ScalarType.Bool => OrtValue.CreateTensorValueFromMemory(Values<bool>(t), shape),
            _ => throw new NotSupportedException($"element type {t.dtype}"),
        };
    }

    private static T[] Values<T>(Tensor tensor)
        where T : unmanaged => tensor.numel() == 0 ? [] : tensor.data<T>().ToArray();

    private static TensorValues FromOrt(OrtValue value)
    {
        OrtTensorTypeAndShapeInfo info = value.GetTensorTypeAndShape();
        long[] shape = info.Shape;
        return info.ElementDataType switch
        {
            TensorElementType.Float => new(shape, ScalarType.Float32, [.. value.GetTensorDataAsSpan<float>().ToArray().Select(v => (double)v)]),
            TensorElementType.Double => new(shape, ScalarType.Float64, value.GetTensorDataAsSpan<double>().ToArray()),
            TensorElementType.Int64 => new(shape, ScalarType.Int64, [.. value.GetTensorDataAsSpan<long>().ToArray().Select(v => (double)v)]),
            TensorElementType.Int32 => new(shape, ScalarType.Int32, [.. value.GetTensorDataAsSpan<int>().ToArray().Select(v => (double)v)]),
            TensorElementType.Int16 => new(shape, ScalarType.Int16, [.. value.GetTensorDataAsSpan<short>().ToArray().Select(v => (double)v)]),
            TensorElementType.Int8 => new(shape, ScalarType.Int8, [.. value.GetTensorDataAsSpan<sbyte>().ToArray().Select(v => (double)v)]),
            TensorElementType.UInt8 => new(shape, ScalarType.Byte, [.. value.GetTensorDataAsSpan<byte>().ToArray().Select(v => (double)v)]),
            TensorElementType.Bool => new(shape, ScalarType.Bool, [.. value.GetTensorDataAsSpan<bool>().ToArray().Select(v => v ? 1.0 : 0.0)]),
            _ => throw new NotSupportedException($"ONNX Runtime output of type {info.ElementDataType}"),
        };
    }
}
