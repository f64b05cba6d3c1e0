using System.Globalization;
using Compression.Abstractions.Distillation;
using Compression.Abstractions.Stages;

namespace Compression.Plugins.Distillation.Features;

/// <summary>The checks the built-in methods share: T and alpha for their KD terms, taps (for a feature method), and their own numbers.</summary>
internal static class MethodParameters
{
    /// <param name="method">The method's name, for messages.</param>
    /// <param name="options">The options to check.</param>
    /// <param name="defaults">The method's own parameters (<c>methodParameters</c> keys) with their defaults; each must be finite and >= 0.</param>
    /// <param name="needsTaps">Whether the method reads intermediate features.</param>
    public static List<SettingsError> Validate(string method, DistillationOptions options, IReadOnlyDictionary<string, double> defaults, bool needsTaps = true)
    {
        var errors = new List<SettingsError>();
        KdTerms.Validate(options, errors);
        if (needsTaps && options.Taps.Count == 0)
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
