using System.Globalization;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Data.Loading;

namespace Compression.Core.AppModel;

/// <summary>
/// The declared input of the app's model (<c>model.input</c>): the layout of one sample and the
/// normalisation its training used, <c>x' = (x * scale - mean[c]) / std[c]</c>. Declared, not guessed:
/// a model's file says its dimensions, never whether the 3 in <c>[1, 3, 224, 224]</c> is channels or
/// which mean its trainer subtracted.
/// </summary>
/// <param name="Layout">"NCHW", "NHWC" or "NC".</param>
/// <param name="SampleShape">One sample without the batch: [C, H, W], [H, W, C] or [features].</param>
/// <param name="Normalization">The declared normalisation as the loader applies it per feature.</param>
/// <param name="Text">What <see cref="Describe"/> says.</param>
public sealed record InputContract(string Layout, int[] SampleShape, InputNormalization Normalization, string Text)
{
    /// <summary>The declared factor the raw values are multiplied by first.</summary>
    public double Scale { get; init; } = 1;

    /// <summary>The declared means: none, one for every channel, or one per channel (NC: per feature).</summary>
    public IReadOnlyList<double> Mean { get; init; } = [];

    /// <summary>The declared deviations, as <see cref="Mean"/>.</summary>
    public IReadOnlyList<double> Std { get; init; } = [];

    /// <summary>Channels per pixel (NC: 1).</summary>
    public int Channels => Layout switch { "NCHW" => SampleShape[0], "NHWC" => SampleShape[2], _ => 1 };

    /// <summary>The config path of the contract.</summary>
    public const string ConfigPath = "model.input";

    private const string Example = "{ \"layout\": \"NCHW\", \"channels\": 3, \"size\": [224, 224], \"scale\": 0.00392156862745098, \"mean\": [0.485, 0.456, 0.406], \"std\": [0.229, 0.224, 0.225] }";

    private static readonly string[] s_layouts = ["NCHW", "NHWC", "NC"];

    /// <summary>Values per sample.</summary>
    public long SampleSize => SampleShape.Aggregate(1L, (a, b) => a * b);

    /// <summary>One line for the report and the shipped model's metadata: what the model takes.</summary>
    public string Describe() => Text;

    /// <summary>The contract of <paramref name="config"/>, or every problem with it at its field.</summary>
    /// <exception cref="CompressionException">A field is missing or out of range (CMP1004/CMP1005).</exception>
    /// <param name="config">The declaration.</param>
    /// <param name="locations">Where fields are in compression.json.</param>
    /// <param name="path">Its config path: <c>model.input</c>, or a teacher's <c>teacher.input</c>.</param>
    public static InputContract Parse(ModelInputConfig? config, JsonLocationIndex locations, string path = ConfigPath)
    {
        ArgumentNullException.ThrowIfNull(locations);
        ArgumentNullException.ThrowIfNull(path);
        if (config is null)
        {
            throw new CompressionException(ErrorCodes.MissingField,
                $"'{JsonLocationIndex.Parent(path)}' needs \"input\": the layout, size and normalisation the model was trained with, e.g. {Example}",
                locations.Locate(JsonLocationIndex.Parent(path)!));
        }
        var findings = new List<Finding>();
        void Problem(string code, string field, string message) =>
            findings.Add(new Finding(Severity.Error, code, $"'{path}.{field}' {message}", locations.LocateValue($"{path}.{field}")));

        string? layout = s_layouts.FirstOrDefault(l => string.Equals(l, config.Layout, StringComparison.OrdinalIgnoreCase));
        int[] shape = [];
        int groups = 1; // channels (or features) that mean and std may give one value each for
        if (layout is null)
        {
            Problem(config.Layout is null ? ErrorCodes.MissingField : ErrorCodes.InvalidValue, "layout",
                $"must be \"NCHW\" (channels first), \"NHWC\" (channels last) or \"NC\" (a feature vector){(config.Layout is null ? "" : $", not \"{config.Layout}\"")}");
        }
        else if (layout == "NC")
        {
            if (config.Features is not int features || features < 1)
            {
                Problem(config.Features is null ? ErrorCodes.MissingField : ErrorCodes.InvalidValue, "features", "must be the number of features per sample (at least 1)");
            }
            else
            {
                shape = [features];
                groups = features;
            }
        }
        else
        {
            if (config.Channels is not int channels || channels < 1 || channels > 4096)
            {
                Problem(config.Channels is null ? ErrorCodes.MissingField : ErrorCodes.InvalidValue, "channels", "must be the channels per pixel (1 grayscale, 3 RGB; at most 4096)");
                channels = 0;
            }
            if (config.Size is not [int height, int width] || height < 1 || width < 1 || (long)height * width > 1L << 26)
            {
                Problem(config.Size is null ? ErrorCodes.MissingField : ErrorCodes.InvalidValue, "size", "must be [height, width] in pixels, each at least 1");
                (height, width) = (0, 0);
            }
            if (channels > 0 && height > 0)
            {
                shape = layout == "NCHW" ? [channels, height, width] : [height, width, channels];
                groups = channels;
            }
        }
        if (!double.IsFinite(config.Scale) || config.Scale <= 0)
        {
            Problem(ErrorCodes.InvalidValue, "scale", "must be a positive number (1/255 maps bytes to [0, 1])");
        }
        double[] mean = PerGroup(config.Mean, "mean", groups, v => double.IsFinite(v), "finite numbers", Problem);
        double[] std = PerGroup(config.Std, "std", groups, v => double.IsFinite(v) && v > 0, "positive numbers", Problem);
        if (findings.Count > 0)
        {
            throw new CompressionException(findings);
        }
        InputNormalization normalization = PerFeature(layout!, shape, config.Scale, mean, std);
        return new InputContract(layout!, shape, normalization, Sentence(layout!, shape, config.Scale, config.Mean, config.Std))
        {
            Scale = config.Scale,
            Mean = mean,
            Std = std,
        };
    }

    /// <summary>One value per group: none given is the identity (0 or 1), one value is every group's.</summary>
    private static double[] PerGroup(List<double>? values, string field, int groups, Func<double, bool> valid, string what, Action<string, string, string> problem)
    {
        if (values is null)
        {
            return [];
        }
        if (values.Count != 1 && values.Count != groups)
        {
            problem(ErrorCodes.InvalidValue, field, $"must give one value or one per channel ({groups}), not {values.Count}");
            return [];
        }
        if (!values.All(valid))
        {
            problem(ErrorCodes.InvalidValue, field, $"must be {what}");
            return [];
        }
        return [.. values];
    }

    /// <summary>
    /// The loader's per-feature form of <c>(x * scale - mean[c]) / std[c]</c>: <c>(x - mean[c] / scale) / (std[c] / scale)</c>,
    /// channel <c>c</c> of each feature found from the layout.
    /// </summary>
    private static InputNormalization PerFeature(string layout, int[] shape, double scale, double[] mean, double[] std)
    {
        if (mean.Length == 0 && std.Length == 0)
        {
            return scale == 1 ? InputNormalization.None : InputNormalization.Scaled((float)scale);
        }
        int size = shape.Aggregate(1, (a, b) => a * b);
        var featureMean = new float[size];
        var featureStd = new float[size];
        for (int f = 0; f < size; f++)
        {
            int channel = layout switch
            {
                "NCHW" => f / (shape[1] * shape[2]),
                "NHWC" => f % shape[2],
                _ => f,
            };
            double m = mean.Length == 0 ? 0 : mean[mean.Length == 1 ? 0 : channel];
            double s = std.Length == 0 ? 1 : std[std.Length == 1 ? 0 : channel];
            featureMean[f] = (float)(m / scale);
            featureStd[f] = (float)(s / scale);
        }
        return InputNormalization.Standardized(featureMean, featureStd);
    }

    private static string Sentence(string layout, int[] shape, double scale, List<double>? mean, List<double>? std)
    {
        string dims = layout == "NC" ? $"{shape[0]} features" : $"{layout} {string.Join("x", shape)}";
        string Values(List<double>? v, double identity) => v is null ? identity.ToString(CultureInfo.InvariantCulture)
            : v.Count == 1 ? v[0].ToString("R", CultureInfo.InvariantCulture)
            : "[" + string.Join(", ", v.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "]";
        string formula = mean is null && std is null
            ? scale == 1 ? "values as in the data files" : string.Create(CultureInfo.InvariantCulture, $"values times {scale:R}")
            : string.Create(CultureInfo.InvariantCulture, $"(x * {scale:R} - {Values(mean, 0)}) / {Values(std, 1)} per channel");
        return $"the app's model input: {dims}, {formula} (as model.input declares; the shipped model takes the same)";
    }
}
