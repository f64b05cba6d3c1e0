using System.Globalization;
using Compression.Abstractions.Distillation;
using Compression.Abstractions.Stages;

namespace Compression.Plugins.Distillation.Features;

/// <summary>The checks every feature method shares: T and alpha for its KD terms, its taps, and its own numbers.</summary>
internal static class MethodParameters
{
    public static List<SettingsError> Validate(string method, DistillationOptions options, IReadOnlyDictionary<string, double> defaults)
    {
        var errors = new List<SettingsError>();
        KdTerms.Validate(options, errors);
        if (options.Taps.Count == 0)
        {
            errors.Add(new SettingsError("taps", $"method \"{method}\" reads intermediate features: add \"taps\": [{{\"student\": \"<layer name>\", \"teacher\": \"<layer or tensor name>\"}}]"));
        }
        foreach ((string key, double value) in options.Parameters)
        {
            if (!defaults.ContainsKey(key))
            {
                errors.Add(new SettingsError($"methodParameters.{key}",
                    $"unknown parameter of method \"{method}\": expected {string.Join(" or ", defaults.Keys)}"));
            }
            else if (!double.IsFinite(value) || value < 0)
            {
                errors.Add(new SettingsError($"methodParameters.{key}", string.Create(CultureInfo.InvariantCulture, $"must be a finite number >= 0, got {value}")));
            }
        }
        return errors;
    }

    public static double Get(DistillationOptions options, IReadOnlyDictionary<string, double> defaults, string key) =>
        options.Parameters.TryGetValue(key, out double value) ? value : defaults[key];
}
