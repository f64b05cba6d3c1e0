using Compression.Abstractions.Evaluation;
using Compression.Core.Diagnostics;

namespace Compression.Core.Evaluation;

/// <summary>
/// The evaluators by task name (case-insensitive): the built-in <see cref="ClassificationEvaluator"/> and <see cref="EmbeddingEvaluator"/>
/// and every <see cref="IModelEvaluator"/> a plugin registers. Two for one task is an error naming both.
/// </summary>
public sealed class EvaluatorRegistry
{
    private readonly Dictionary<string, IModelEvaluator> _byTask = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The registry of the built-ins and the host's registered evaluators.</summary>
    /// <param name="services">The host's services, or null for the built-ins alone.</param>
    /// <exception cref="CompressionException">Two evaluators claim the same task (CMP1009).</exception>
    public static EvaluatorRegistry From(IServiceProvider? services)
    {
        var registry = new EvaluatorRegistry();
        registry.Add(new ClassificationEvaluator());
        registry.Add(new EmbeddingEvaluator());
        if (services?.GetService(typeof(IEnumerable<IModelEvaluator>)) is IEnumerable<IModelEvaluator> registered)
        {
            foreach (IModelEvaluator evaluator in registered)
            {
                registry.Add(evaluator);
            }
        }
        return registry;
    }

    /// <summary>The evaluator of a task, or null.</summary>
    public IModelEvaluator? Find(string task) => _byTask.GetValueOrDefault(task);

    /// <summary>Every task name, sorted.</summary>
    public IReadOnlyList<string> Tasks => _byTask.Keys.Order(StringComparer.OrdinalIgnoreCase).ToList();

    private void Add(IModelEvaluator evaluator)
    {
        if (_byTask.TryGetValue(evaluator.Task, out IModelEvaluator? existing))
        {
            throw new CompressionException(ErrorCodes.PluginLoad,
                $"two evaluators for the task '{evaluator.Task}': {existing.GetType().FullName} ({existing.GetType().Assembly.GetName().Name}) and {evaluator.GetType().FullName} ({evaluator.GetType().Assembly.GetName().Name}); remove one of the plugins",
                null);
        }
        _byTask.Add(evaluator.Task, evaluator);
    }
}
