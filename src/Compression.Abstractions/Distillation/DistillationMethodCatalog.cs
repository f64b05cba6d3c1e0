using Microsoft.Extensions.DependencyInjection;

namespace Compression.Abstractions.Distillation;

/// <summary>
/// The distillation methods the host and the plugins registered, looked up by name (case-insensitive),
/// with the one wording of "unknown method" every stage that takes a method uses.
/// </summary>
public sealed class DistillationMethodCatalog
{
    private readonly IReadOnlyList<IDistillationMethod> _methods;

    /// <summary>A catalog of <paramref name="methods"/>.</summary>
    public DistillationMethodCatalog(IEnumerable<IDistillationMethod> methods) => _methods = [.. methods];

    /// <summary>The methods registered in <paramref name="services"/> (the <see cref="Stages.StageContext.Services"/> of a run).</summary>
    public static DistillationMethodCatalog From(IServiceProvider services) => new(services.GetServices<IDistillationMethod>());

    /// <summary>Every method, in registration order.</summary>
    public IReadOnlyList<IDistillationMethod> Methods => _methods;

    /// <summary>The method called <paramref name="name"/>, ignoring case, or null.</summary>
    public IDistillationMethod? Find(string name) =>
        _methods.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The method called <paramref name="name"/>; for names a settings check already accepted.</summary>
    /// <exception cref="InvalidOperationException">No such method (the settings were not validated).</exception>
    public IDistillationMethod Get(string name) =>
        Find(name) ?? throw new InvalidOperationException($"distillation method '{name}' is not registered; settings naming it should have been refused");

    /// <summary>
    /// "unknown distillation method "x": expected one of a, b, c", optionally naming the other values the
    /// setting accepts first (e.g. <c>"auto"</c>): the message of a settings error on a method name.
    /// </summary>
    public string UnknownMethodMessage(string name, string? alternatives = null) =>
        $"unknown distillation method \"{name}\": expected {(alternatives is null ? "" : alternatives + " or ")}one of {string.Join(", ", _methods.Select(m => m.Name).Order(StringComparer.Ordinal))}";
}
