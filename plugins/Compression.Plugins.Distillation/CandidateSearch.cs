using System.Globalization;
using System.Text;
using Compression.Abstractions.Distillation;
using Compression.Plugins.Distillation.Features;
using Compression.Abstractions.Stages;

namespace Compression.Plugins.Distillation;

/// <summary>
/// <c>"method": "auto"</c>: the candidates (every method x temperature x alpha of <c>search</c>, in the
/// order listed, cut to maxTrials, then training without the teacher) and the choice among them, made
/// on the validation split only, so the test split stays an unbiased judge of the winner.
/// </summary>
internal static class CandidateSearch
{
    public const string Auto = "auto";

    public static IReadOnlyList<Candidate> Candidates(DistillSettings settings, DistillationMethodCatalog methods)
    {
        IDistillationMethod Find(string name) => methods.Get(name);
        if (!string.Equals(settings.Method, Auto, StringComparison.OrdinalIgnoreCase))
        {
            return [new Candidate(Find(settings.Method), new DistillationOptions(settings.Temperature, settings.Alpha, settings.MethodParameters) { Taps = FeatureTaps.Configured(settings) })];
        }
        var candidates = (
            from name in settings.Search.Methods
            from temperature in settings.Search.Temperatures
            from alpha in settings.Search.Alphas
            select new Candidate(Find(name), new DistillationOptions(temperature, alpha, settings.MethodParameters) { Taps = FeatureTaps.Configured(settings) }))
            .Distinct()
            .Take(settings.Search.MaxTrials)
            .ToList();
        candidates.Add(Candidate.Scratch);
        return candidates;
    }

    /// <summary>Checks the search's method names and each candidate's options before anything runs.</summary>
    public static IEnumerable<SettingsError> Validate(DistillSettings settings, DistillationMethodCatalog methods)
    {
        SearchSettings search = settings.Search;
        for (int i = 0; i < search.Methods.Count; i++)
        {
            IDistillationMethod? method = methods.Find(search.Methods[i]);
            if (method is null)
            {
                yield return new SettingsError($"search.methods[{i}]", methods.UnknownMethodMessage(search.Methods[i]));
                continue;
            }
            foreach (double temperature in search.Temperatures)
            {
                foreach (double alpha in search.Alphas)
                {
                    foreach (SettingsError error in method.Validate(new DistillationOptions(temperature, alpha, settings.MethodParameters) { Taps = FeatureTaps.Configured(settings) }))
                    {
                        yield return error with { Path = error.Path is "temperature" ? "search.temperatures" : error.Path is "alpha" ? "search.alphas" : error.Path };
                    }
                }
            }
        }
        if (search.Methods.Count == 0 || search.Temperatures.Count == 0 || search.Alphas.Count == 0)
        {
            yield return new SettingsError("search", "needs at least one method, one temperature and one alpha");
        }
    }

    /// <summary>
    /// The candidate with the best validation accuracy. On a tie the one that needs no teacher (scratch)
    /// wins, since a tie shows no benefit worth a teacher; among distilling candidates, the one listed first.
    /// </summary>
    public static CandidateResult Best(IReadOnlyList<CandidateResult> results)
    {
        double top = results.Max(r => r.Outcome.Summary.ValidationAccuracy);
        var tied = results.Where(r => r.Outcome.Summary.ValidationAccuracy == top).ToList();
        return tied.FirstOrDefault(r => r.Candidate.IsScratch) ?? tied[0];
    }

    /// <summary>Why <paramref name="chosen"/> won, in one sentence for the report.</summary>
    public static string Reason(IReadOnlyList<CandidateResult> results, Candidate chosen)
    {
        double top = results.Max(r => r.Outcome.Summary.ValidationAccuracy);
        var tied = results.Where(r => r.Outcome.Summary.ValidationAccuracy == top).ToList();
        string accuracy = (top * 100).ToString("0.00", CultureInfo.InvariantCulture);
        if (tied.Count == 1)
        {
            return $"Chosen: `{chosen.Label}`, the best validation accuracy ({accuracy}%).";
        }
        string others = string.Join(", ", tied.Where(r => r.Candidate != chosen).Select(r => $"`{r.Candidate.Label}`"));
        return chosen.IsScratch
            ? $"Chosen: `{chosen.Label}`: it tied {others} at {accuracy}% validation accuracy, and on a tie the student that needs no teacher wins."
            : $"Chosen: `{chosen.Label}`: it tied {others} at {accuracy}% validation accuracy and is listed first.";
    }

    public static void AppendReport(StringBuilder report, IReadOnlyList<CandidateResult> results, Candidate chosen)
    {
        report.AppendLine("`auto` compared these candidates on the validation split (pipeline seed):");
        report.AppendLine();
        report.AppendLine("| candidate | validation accuracy | chosen |");
        report.AppendLine("| --- | ---: | :---: |");
        foreach (CandidateResult result in results)
        {
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {result.Candidate.Label} | {result.Outcome.Summary.ValidationAccuracy * 100:0.00}% | {(result.Candidate == chosen ? "yes" : "")} |");
        }
        report.AppendLine();
        report.AppendLine(Reason(results, chosen));
        report.AppendLine();
    }
}
