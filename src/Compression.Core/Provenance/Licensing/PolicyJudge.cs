using Compression.Core.Config;
using Compression.Core.Diagnostics;

namespace Compression.Core.Provenance.Licensing;

/// <summary>
/// Judges licence expressions and terms by a <see cref="LicensePolicyConfig"/>, adding findings at
/// their fields. An expression is a set of choices (its OR alternatives, each a set of licences that
/// all apply): it is denied when every choice needs a denied id, and outside the allow list when no
/// choice uses allowed ids only. Ids match case-insensitively; <c>id+</c> and <c>id WITH exception</c>
/// match the policy's <c>id</c>.
/// </summary>
internal sealed class PolicyJudge(LicensePolicyConfig policy, SpdxLicenseList list, JsonLocationIndex locations, List<Finding> findings)
{
    private readonly HashSet<string> _allow = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _deny = new(StringComparer.OrdinalIgnoreCase);

    public LicensePolicyConfig Policy => policy;

    public SpdxLicenseList List => list;

    /// <summary>Checks the policy's own ids and that no id is both allowed and denied.</summary>
    public void CheckPolicy()
    {
        void Collect(List<string> ids, string field, HashSet<string> into)
        {
            for (int i = 0; i < ids.Count; i++)
            {
                string path = $"licensePolicy.{field}[{i}]";
                string id = ids[i].Trim();
                if (IsReference(id))
                {
                    into.Add(id);
                    continue;
                }
                if (list.Canonical(id) is not string canonical)
                {
                    string? near = list.SuggestLicense(id);
                    findings.Add(new Finding(Severity.Error, ErrorCodes.LicenseUnknownId,
                        $"'{path}': \"{id}\" is not on the SPDX License List{(near is null ? "" : $"; did you mean \"{near}\"?")} (policies list single ids, or LicenseRef-<name> for a licence SPDX does not list)",
                        locations.LocateValue(path)));
                    continue;
                }
                into.Add(canonical);
            }
        }
        Collect(policy.Allow, "allow", _allow);
        Collect(policy.Deny, "deny", _deny);
        for (int i = 0; i < policy.Deny.Count; i++)
        {
            string id = list.Canonical(policy.Deny[i].Trim()) ?? policy.Deny[i].Trim();
            int allowed = policy.Allow.FindIndex(a => string.Equals(list.Canonical(a.Trim()) ?? a.Trim(), id, StringComparison.OrdinalIgnoreCase));
            if (allowed >= 0)
            {
                var at = locations.LocateValue($"licensePolicy.allow[{allowed}]");
                findings.Add(new Finding(Severity.Error, ErrorCodes.LicensePolicyContradiction,
                    $"'licensePolicy.deny[{i}]': \"{id}\" is also allowed by 'licensePolicy.allow[{allowed}]' (line {at.Line}): list it in one of the two",
                    locations.LocateValue($"licensePolicy.deny[{i}]")));
            }
        }
    }

    /// <summary>Parses, checks and judges one licence field (once per field); returns it with canonical ids, or null when it is not valid.</summary>
    /// <param name="text">The licence as written.</param>
    /// <param name="path">The field it came from, where findings point.</param>
    /// <param name="what">Whose licence it is, for messages ("teacher 'teacher'", "the data set").</param>
    /// <param name="judged">Fields already judged (data.license serves several splits): parsed again, not reported again.</param>
    public SpdxExpression? Judge(string text, string path, string what, HashSet<string> judged)
    {
        bool report = judged.Add(path);
        var local = new List<Finding>();
        SpdxExpression? expression = Check(text, path, what, local);
        if (report)
        {
            findings.AddRange(local);
        }
        return local.Any(f => f.Severity == Severity.Error && f.Code is ErrorCodes.LicenseSyntax or ErrorCodes.LicenseUnknownId) ? null : expression;
    }

    private SpdxExpression? Check(string text, string path, string what, List<Finding> into)
    {
        var at = locations.LocateValue(path);
        SpdxExpression parsed;
        try
        {
            parsed = SpdxParser.Parse(text);
        }
        catch (SpdxSyntaxException ex)
        {
            into.Add(new Finding(Severity.Error, ErrorCodes.LicenseSyntax,
                $"'{path}': the licence of {what}, \"{text}\", is not an SPDX expression: it {ex.Message} (expected e.g. \"MIT\", \"Apache-2.0 OR MIT\", \"GPL-2.0-or-later WITH Classpath-exception-2.0\", \"LicenseRef-my-licence\")", at));
            return null;
        }
        foreach (SpdxExpression.License license in parsed.Licenses())
        {
            if (!license.IsReference && list.Canonical(license.Id) is null)
            {
                string? near = list.SuggestLicense(license.Id);
                into.Add(new Finding(Severity.Error, ErrorCodes.LicenseUnknownId,
                    $"'{path}': \"{license.Id}\" in the licence of {what} is not on the SPDX License List{(near is null ? "" : $"; did you mean \"{near}\"?")} (use LicenseRef-<name> for a licence SPDX does not list)", at));
            }
            else if (!license.IsReference && list.IsDeprecated(license.Id))
            {
                into.Add(new Finding(Severity.Warning, ErrorCodes.LicenseDeprecated,
                    $"'{path}': \"{license.Id}\" in the licence of {what} is a deprecated SPDX id{(list.SuggestLicense(license.Id) is string current && !current.Equals(license.Id, StringComparison.OrdinalIgnoreCase) ? $" (e.g. \"{current}\")" : "")}: say which version applies, e.g. GPL-2.0-only or GPL-2.0-or-later", at));
            }
            if (license.Exception is string exception)
            {
                if (list.CanonicalException(exception) is null)
                {
                    string? near = list.SuggestException(exception);
                    into.Add(new Finding(Severity.Error, ErrorCodes.LicenseUnknownId,
                        $"'{path}': \"{exception}\" after WITH in the licence of {what} is not an SPDX licence exception{(near is null ? "" : $"; did you mean \"{near}\"?")}", at));
                }
            }
        }
        if (into.Any(f => f.Severity == Severity.Error))
        {
            return null;
        }
        SpdxExpression canonical = LicenseReview.Canonicalize(parsed, list);
        JudgePolicy(canonical, path, what, at, into);
        return canonical;
    }

    private void JudgePolicy(SpdxExpression expression, string path, string what, SourceLocation at, List<Finding> into)
    {
        if (_allow.Count == 0 && _deny.Count == 0)
        {
            return;
        }
        var choices = expression.Alternatives();
        if (choices is null)
        {
            into.Add(new Finding(Severity.Error, ErrorCodes.LicenseSyntax,
                $"'{path}': the licence of {what} has too many AND/OR combinations to judge: simplify it", at));
            return;
        }
        if (_deny.Count > 0 && choices.All(c => c.Any(l => _deny.Contains(l.Id))))
        {
            string denied = string.Join(", ", choices.SelectMany(c => c).Where(l => _deny.Contains(l.Id)).Select(l => l.Id).Distinct(StringComparer.OrdinalIgnoreCase));
            into.Add(new Finding(Severity.Error, ErrorCodes.LicenseDenied,
                $"'{path}': the licence of {what}, \"{expression}\", is denied by licensePolicy.deny ({denied}){(choices.Count > 1 ? ": every choice of the expression needs a denied licence" : "")}", at));
            return;
        }
        if (_allow.Count > 0 && !choices.Any(c => c.All(l => _allow.Contains(l.Id))))
        {
            string outside = string.Join(", ", choices.SelectMany(c => c).Where(l => !_allow.Contains(l.Id)).Select(l => l.Id).Distinct(StringComparer.OrdinalIgnoreCase));
            into.Add(new Finding(Severity.Error, ErrorCodes.LicenseNotAllowed,
                $"'{path}': the licence of {what}, \"{expression}\", is not in licensePolicy.allow ({outside} is not listed): allow it there if it is acceptable", at));
        }
    }

    /// <summary>Checks declared terms: known, in their place, and judged by the policy's term actions.</summary>
    public void JudgeTerms(IReadOnlyList<string> terms, string path, string what, bool isTeacher)
    {
        for (int i = 0; i < terms.Count; i++)
        {
            string termPath = $"{path}[{i}]";
            var at = locations.LocateValue(termPath);
            string term = terms[i];
            if (term == LicenseTerms.NoTrainingOnOutputs)
            {
                if (!isTeacher)
                {
                    findings.Add(new Finding(Severity.Error, ErrorCodes.LicenseUnknownTerm,
                        $"'{termPath}': \"{term}\" is a term of a model's licence (its outputs may not train another model); a data set has no outputs", at));
                    continue;
                }
                Add(policy.Terms.NoTrainingOnOutputs, ErrorCodes.LicenseNoTrainingOnOutputs,
                    $"'{termPath}': {what} may not have its outputs used to train another model, which distillation does (licensePolicy.terms.noTrainingOnOutputs is {Name(policy.Terms.NoTrainingOnOutputs)})", at);
            }
            else if (term == LicenseTerms.NonCommercial)
            {
                Add(policy.Terms.NonCommercial, ErrorCodes.LicenseNonCommercial,
                    $"'{termPath}': {what} is licensed for non-commercial use only, and so is a model made from it (licensePolicy.terms.nonCommercial is {Name(policy.Terms.NonCommercial)})", at);
            }
            else
            {
                string? near = Config.SettingsBinder.Suggest(term, LicenseTerms.All);
                findings.Add(new Finding(Severity.Error, ErrorCodes.LicenseUnknownTerm,
                    $"'{termPath}': unknown licence term \"{term}\"{(near is null ? "" : $"; did you mean \"{near}\"?")} Known terms: {string.Join(", ", LicenseTerms.All)}", at));
            }
        }
    }

    private void Add(LicenseTermAction action, string code, string message, SourceLocation at)
    {
        if (action != LicenseTermAction.Ignore)
        {
            findings.Add(new Finding(action == LicenseTermAction.Error ? Severity.Error : Severity.Warning, code, message, at));
        }
    }

    private static string Name(LicenseTermAction action) => action.ToString().ToLowerInvariant();

    private static bool IsReference(string id) => id.StartsWith("LicenseRef-", StringComparison.Ordinal) || id.StartsWith("DocumentRef-", StringComparison.Ordinal);
}
