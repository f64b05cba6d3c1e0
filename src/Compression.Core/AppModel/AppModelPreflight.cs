using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Onnx;

namespace Compression.Core.AppModel;

/// <summary>
/// Checks of the app's model (<c>"model"</c>) before anything runs: it is given alone (not beside a
/// teacher), names an ONNX file, declares its input (<see cref="InputContract"/>), leaves the data's
/// normalisation to that declaration, and the file's declared input agrees with it. The file itself
/// (exists, regular, fits memory, licence) is checked as the reference teacher it also is.
/// </summary>
public static class AppModelPreflight
{
    /// <summary>Every problem with <c>model</c>, at its field; empty without one.</summary>
    public static List<Finding> Check(LoadedConfig loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        var findings = new List<Finding>();
        if (loaded.Config.Model is not ModelConfig model)
        {
            return findings;
        }
        var locations = loaded.Locations;
        if (loaded.Config.Teacher is not null || loaded.Config.Teachers is not null)
        {
            findings.Add(new Finding(Severity.Error, ErrorCodes.InvalidValue,
                $"give \"model\" (the app's ONNX model to compress, which is also the reference its result is compared with) or \"{(loaded.Config.Teacher is not null ? "teacher" : "teachers")}\" (to distil a student from), not both",
                locations.Locate("model")));
        }
        if (model.Onnx is null)
        {
            findings.Add(new Finding(Severity.Error, ErrorCodes.MissingField,
                "'model' needs \"onnx\": \"path/to/model.onnx\", the app's ONNX classifier", locations.Locate("model")));
        }
        foreach (string field in new[] { "normalization", "scale" })
        {
            if (locations.Contains($"data.{field}"))
            {
                findings.Add(new Finding(Severity.Error, ErrorCodes.InvalidValue,
                    $"'data.{field}' cannot be given with \"model\": the model's input contract (model.input: scale, mean, std) says how its samples are normalised",
                    locations.Locate($"data.{field}")));
            }
        }
        try
        {
            InputContract contract = InputContract.Parse(model.Input, locations);
            // The declaration is of what the first graph takes: the preprocessing graph when there is one.
            string? first = model.Preprocess ?? model.Onnx;
            if (first is not null && File.Exists(loaded.Resolve(first)) && findings.Count == 0)
            {
                CheckModelFile(loaded.Resolve(first), contract, locations, model.Preprocess is null ? "model.onnx" : "model.preprocess");
            }
        }
        catch (CompressionException ex)
        {
            findings.AddRange(ex.Findings);
        }
        return findings;
    }

    /// <summary>The contract of the config's model, or null without one (call after <see cref="Check"/> passed).</summary>
    public static InputContract? Contract(LoadedConfig loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        return loaded.Config.Model is ModelConfig model ? InputContract.Parse(model.Input, loaded.Locations) : null;
    }

    /// <summary>
    /// The data's samples must hold as many values as the contract's, and not be the same image in the
    /// other channel order (a layout mix-up feeds the model garbage that still has the right size).
    /// </summary>
    /// <exception cref="CompressionException">CMP2004 at <c>model.input</c>.</exception>
    public static void CheckData(LoadedConfig loaded, InputContract contract, IReadOnlyList<int> sampleShape)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(sampleShape);
        long values = sampleShape.Aggregate(1L, (a, b) => a * b);
        string data = $"[{string.Join(", ", sampleShape)}]";
        string declared = $"{contract.Layout} [{string.Join(", ", contract.SampleShape)}]";
        if (values != contract.SampleSize)
        {
            throw new CompressionException(ErrorCodes.ShapeMismatch,
                $"the data's samples have shape {data} ({values:N0} values) but model.input declares {declared} ({contract.SampleSize:N0} values): check channels and size, or resize the data",
                loaded.Locations.Locate(InputContract.ConfigPath));
        }
        if (contract.Layout != "NC" && sampleShape.Count == 3 && contract.SampleShape[contract.Layout == "NCHW" ? 0 : 2] > 1)
        {
            int[] other = contract.Layout == "NCHW"
                ? [contract.SampleShape[1], contract.SampleShape[2], contract.SampleShape[0]]
                : [contract.SampleShape[2], contract.SampleShape[0], contract.SampleShape[1]];
            if (sampleShape.SequenceEqual(other) && !sampleShape.SequenceEqual(contract.SampleShape))
            {
                throw new CompressionException(ErrorCodes.ShapeMismatch,
                    $"the data's samples have shape {data}, channels {(contract.Layout == "NCHW" ? "last" : "first")}, but model.input declares {declared}: the model would read pixels as channels",
                    loaded.Locations.LocateValue($"{InputContract.ConfigPath}.layout"));
            }
        }
    }

    /// <summary>The file's one input must have the contract's rank and, where its dimensions are fixed, the contract's values.</summary>
    private static void CheckModelFile(string onnxPath, InputContract contract, JsonLocationIndex locations, string field)
    {
        long[] shape;
        try
        {
            using var session = new OnnxInferenceSession(onnxPath);
            shape = session.InputShape;
        }
        catch (OnnxFormatException ex)
        {
            throw new CompressionException(ErrorCodes.TeacherInvalid, $"'{field}' is not a usable ONNX model: {ex.Message}", locations.LocateValue(field));
        }
        long[] sample = shape.Skip(1).ToArray();
        bool fits = sample.Length == contract.SampleShape.Length
            && sample.Zip(contract.SampleShape).All(d => d.First <= 0 || d.First == d.Second);
        if (!fits)
        {
            string batch = shape.Length > 0 && shape[0] > 0 ? $" (a fixed batch of {shape[0]}, which is run sample by sample)" : "";
            throw new CompressionException(ErrorCodes.ShapeMismatch,
                $"{Path.GetFileName(onnxPath)} takes input [{string.Join(", ", shape.Select(d => d <= 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]{batch} but model.input declares {contract.Layout} [{string.Join(", ", contract.SampleShape)}] per sample",
                locations.Locate(InputContract.ConfigPath));
        }
    }
}
