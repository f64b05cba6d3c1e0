using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Teacher;
using Compression.Onnx;

namespace Compression.Core.Provenance.Licensing;

/// <summary>
/// Reads every teacher's and data split's licence (its <c>license</c> field, else for an ONNX teacher
/// the file's metadata key <c>license</c>), parses it as an SPDX expression, checks its ids against the
/// SPDX License List, and judges it and the declared terms by <c>licensePolicy</c>. Runs before
/// anything trains (from <c>Preflight</c>, so <c>compress validate</c> sees the same) and again at the
/// end of a run, whose bill of materials records what it found.
/// </summary>
public static class LicenseReview
{
    /// <summary>Metadata key an ONNX file declares its licence under.</summary>
    public const string MetadataKey = "license";

    /// <summary>The inputs with their licences, and every finding (errors and warnings), each at its field.</summary>
    public static (IReadOnlyList<LicensedInput> Inputs, IReadOnlyList<Finding> Findings) Review(LoadedConfig loaded, SpdxLicenseList? list = null)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        list ??= SpdxLicenseList.Vendored;
        var findings = new List<Finding>();
        LicensePolicyConfig policy = loaded.Config.LicensePolicy ?? new LicensePolicyConfig();
        var judge = new PolicyJudge(policy, list, loaded.Locations, findings);
        judge.CheckPolicy();

        var inputs = new List<LicensedInput>();
        var judged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (teacher, path, name) in TeacherPreflight.Entries(loaded.Config))
        {
            inputs.Add(ReviewTeacher(loaded, teacher, path, name, judge, findings, judged));
        }
        DataConfig? data = loaded.Config.Data;
        if (data is not null)
        {
            foreach (var (split, files) in new[] { ("train", data.Train), ("test", data.Test), ("transfer", data.Transfer) })
            {
                if (files is not null)
                {
                    inputs.Add(ReviewSplit(loaded, data, split, files, judge, findings, judged));
                }
            }
        }
        return (inputs, findings);
    }

    private static LicensedInput ReviewTeacher(LoadedConfig loaded, TeacherConfig teacher, string path, string name, PolicyJudge judge, List<Finding> findings, HashSet<string> judged)
    {
        string? declared = teacher.License;
        string? licensePath = declared is null ? null : $"{path}.license";
        var source = declared is null ? LicenseSource.None : LicenseSource.Config;
        string? fromFile = teacher.Onnx is null ? null : ReadMetadataLicense(loaded.Resolve(teacher.Onnx));
        if (declared is null && Teacher.SentenceEncoderSource.IsMiniLm(teacher))
        {
            // The package declares MIT for itself and nothing for the weights; their model card declares Apache-2.0.
            (declared, licensePath, source) = (Compression.Models.Evaluation.Embeddings.MiniLmPackage.ModelLicense, $"{path}.sentenceEncoder", LicenseSource.Package);
        }
        if (declared is null && fromFile is not null)
        {
            (declared, licensePath, source) = (fromFile, $"{path}.onnx", LicenseSource.OnnxMetadata);
        }
        var terms = teacher.Terms ?? [];
        SpdxExpression? expression = null;
        if (declared is not null)
        {
            string what = source == LicenseSource.OnnxMetadata ? $"teacher '{name}' (the file's metadata key \"{MetadataKey}\")" : $"teacher '{name}'";
            expression = judge.Judge(declared, licensePath!, what, judged);
            if (source == LicenseSource.Config && fromFile is not null && expression is not null)
            {
                NoteDisagreement(loaded, fromFile, expression, licensePath!, teacher.Onnx!, judge.List, findings);
            }
        }
        else if (judge.Policy.RequireLicense && teacher.Onnx is not null)
        {
            findings.Add(new Finding(Severity.Error, ErrorCodes.LicenseMissing,
                $"teacher '{name}' declares no licence, and licensePolicy.requireLicense is true: add \"license\": \"<SPDX expression>\" to '{path}', or the key \"{MetadataKey}\" to the file's metadata",
                loaded.Locations.Locate(path)));
        }
        judge.JudgeTerms(terms, $"{path}.terms", $"teacher '{name}'", isTeacher: true);
        return new LicensedInput("teacher", name, path, licensePath, source, expression, terms);
    }

    private static LicensedInput ReviewSplit(LoadedConfig loaded, DataConfig data, string split, DataFilesConfig files, PolicyJudge judge, List<Finding> findings, HashSet<string> judged)
    {
        bool own = files.License is not null;
        string? declared = files.License ?? data.License;
        string? licensePath = declared is null ? null : own ? $"data.{split}.license" : "data.license";
        SpdxExpression? expression = null;
        if (declared is not null)
        {
            expression = judge.Judge(declared, licensePath!, own ? $"the {split} data" : "the data set", judged);
        }
        else if (judge.Policy.RequireLicense)
        {
            findings.Add(new Finding(Severity.Error, ErrorCodes.LicenseMissing,
                $"the {split} data declares no licence, and licensePolicy.requireLicense is true: add \"license\": \"<SPDX expression>\" to 'data' (or to 'data.{split}')",
                loaded.Locations.Locate("data")));
        }
        var terms = (files.Terms ?? []).Concat(own ? [] : data.Terms ?? []).ToList();
        if (files.Terms is not null)
        {
            judge.JudgeTerms(files.Terms, $"data.{split}.terms", $"the {split} data", isTeacher: false);
        }
        if (data.Terms is not null && judged.Add("data.terms"))
        {
            judge.JudgeTerms(data.Terms, "data.terms", "the data set", isTeacher: false);
        }
        return new LicensedInput("data", split, $"data.{split}", licensePath, declared is null ? LicenseSource.None : LicenseSource.Config, expression, terms);
    }

    /// <summary>The file's licence metadata, or null when it has none or cannot be read (the teacher checks report that).</summary>
    private static string? ReadMetadataLicense(string onnxPath)
    {
        if (Compression.Data.RegularFile.NotRegular(onnxPath) is not null || !File.Exists(onnxPath))
        {
            return null;
        }
        try
        {
            return OnnxMetadata.Read(onnxPath).GetValueOrDefault(MetadataKey);
        }
        catch (OnnxFormatException)
        {
            return null;
        }
    }

    private static void NoteDisagreement(LoadedConfig loaded, string fromFile, SpdxExpression declared, string licensePath, string onnx, SpdxLicenseList list, List<Finding> findings)
    {
        string? fileForm;
        try
        {
            fileForm = Canonicalize(SpdxParser.Parse(fromFile), list).ToString();
        }
        catch (SpdxSyntaxException)
        {
            fileForm = null;
        }
        if (!string.Equals(fileForm, declared.ToString(), StringComparison.Ordinal))
        {
            findings.Add(new Finding(Severity.Warning, ErrorCodes.LicenseDisagreement,
                $"'{licensePath}' says \"{declared}\" but {onnx} declares \"{fromFile}\" in its metadata: the config's licence is used; make sure it is the one that applies",
                loaded.Locations.LocateValue(licensePath)));
        }
    }

    /// <summary>The expression with every id in the SPDX list's spelling (unknown ids as written).</summary>
    public static SpdxExpression Canonicalize(SpdxExpression expression, SpdxLicenseList list) => expression switch
    {
        SpdxExpression.License l => l with
        {
            Id = l.IsReference ? l.Id : list.Canonical(l.Id) ?? l.Id,
            Exception = l.Exception is null ? null : list.CanonicalException(l.Exception) ?? l.Exception,
        },
        SpdxExpression.And a => new SpdxExpression.And(Canonicalize(a.Left, list), Canonicalize(a.Right, list)),
        SpdxExpression.Or o => new SpdxExpression.Or(Canonicalize(o.Left, list), Canonicalize(o.Right, list)),
        _ => expression,
    };
}
