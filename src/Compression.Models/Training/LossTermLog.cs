namespace Compression.Models.Training;

/// <summary>
/// The named parts of a loss (a distillation method's terms) as a loss function reports them per batch;
/// the trainer averages them over each epoch for progress and the report.
/// </summary>
public sealed class LossTermLog
{
    private readonly Dictionary<string, (double Sum, int Count)> _terms = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>Records one batch's value of term <paramref name="name"/>.</summary>
    public void Add(string name, double value)
    {
        if (!_terms.TryGetValue(name, out var term))
        {
            _order.Add(name);
        }
        _terms[name] = (term.Sum + value, term.Count + 1);
    }

    /// <summary>Each term's mean over the batches recorded, in the order first seen.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Means() =>
        _order.Select(n => new KeyValuePair<string, double>(n, _terms[n].Sum / _terms[n].Count)).ToList();
}
