using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Core.Provenance;
using Compression.Core.Provenance.Licensing;
using Compression.Onnx;
using Compression.Onnx.Proto;
using Compression.Onnx.Tests;

namespace Compression.Core.Tests.Provenance.Licensing;

public sealed class LicenseReviewTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private (IReadOnlyList<LicensedInput> Inputs, IReadOnlyList<Finding> Findings, string[] Lines) Review(string json)
    {
        string path = _folder.Write("compression.json", json);
        var (inputs, findings) = LicenseReview.Review(ConfigLoader.Load(path));
        return (inputs, findings, File.ReadAllLines(path));
    }

    private static int LineOf(string[] lines, string text) => Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal)) + 1;

    private string TeacherWithLicense(string? license)
    {
        ModelProto model = TinyModels.GemmRelu();
        if (license is not null)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = "license", Value = license });
        }
        string path = Path.Combine(_folder.Path, "teacher.onnx");
        OnnxModelFile.Write(model, path);
        return path;
    }

    [Fact]
    public void A_teacher_licence_the_policy_denies_is_CMP6004_at_the_licence_value()
    {
        var (_, findings, lines) = Review("""
            {
              "teacher": { "onnx": "teacher.onnx",
                           "license": "CC-BY-NC-4.0" },
              "licensePolicy": { "deny": ["CC-BY-NC-4.0", "CC-BY-NC-SA-4.0"] }
            }
            """);

        var finding = Assert.Single(findings);
        Assert.Equal((Severity.Error, ErrorCodes.LicenseDenied), (finding.Severity, finding.Code));
        Assert.Equal("'teacher.license': the licence of teacher 'teacher', \"CC-BY-NC-4.0\", is denied by licensePolicy.deny (CC-BY-NC-4.0)", finding.Message);
        Assert.Equal((LineOf(lines, "\"CC-BY-NC-4.0\" }"), 27), (finding.Location!.Line, finding.Location.Column));
    }

    [Fact]
    public void An_OR_expression_passes_when_one_choice_is_allowed_and_fails_when_every_choice_is_denied()
    {
        string Config(string license) => $$"""
            {
              "teacher": { "onnx": "teacher.onnx", "license": "{{license}}" },
              "licensePolicy": { "allow": ["MIT", "Apache-2.0"], "deny": ["GPL-3.0-only"] }
            }
            """;

        Assert.Empty(Review(Config("GPL-3.0-only OR MIT")).Findings);
        Assert.Empty(Review(Config("apache-2.0 WITH LLVM-exception")).Findings);
        Assert.Equal(ErrorCodes.LicenseDenied, Assert.Single(Review(Config("GPL-3.0-only AND MIT")).Findings).Code);
        var outside = Assert.Single(Review(Config("MIT AND BSD-3-Clause")).Findings);
        Assert.Equal(ErrorCodes.LicenseNotAllowed, outside.Code);
        Assert.Contains("(BSD-3-Clause is not listed)", outside.Message);
    }

    [Fact]
    public void An_unparseable_licence_is_CMP6001_and_an_unknown_id_CMP6002_with_a_suggestion()
    {
        var (_, syntax, lines) = Review("""
            {
              "teacher": { "onnx": "teacher.onnx", "license": "MIT OR" }
            }
            """);
        var finding = Assert.Single(syntax);
        Assert.Equal((Severity.Error, ErrorCodes.LicenseSyntax), (finding.Severity, finding.Code));
        Assert.StartsWith("'teacher.license': the licence of teacher 'teacher', \"MIT OR\", is not an SPDX expression: it ends where a licence id or '(' was expected", finding.Message);
        Assert.Equal(2, finding.Location!.Line);

        var unknown = Assert.Single(Review("""{ "teacher": { "onnx": "t.onnx", "license": "Apache2 OR MIT" } }""").Findings);
        Assert.Equal(ErrorCodes.LicenseUnknownId, unknown.Code);
        Assert.Contains("\"Apache2\" in the licence of teacher 'teacher' is not on the SPDX License List; did you mean \"Apache-2.0\"?", unknown.Message);
        var exception = Assert.Single(Review("""{ "teacher": { "onnx": "t.onnx", "license": "GPL-2.0-only WITH Classpath-exception" } }""").Findings);
        Assert.Equal(ErrorCodes.LicenseUnknownId, exception.Code);
        Assert.Contains("did you mean \"Classpath-exception-2.0\"?", exception.Message);
    }

    [Fact]
    public void A_policy_that_allows_and_denies_one_id_is_CMP6003_at_the_deny_entry()
    {
        var (_, findings, lines) = Review("""
            {
              "licensePolicy": {
                "allow": ["MIT", "Apache-2.0"],
                "deny": ["GPL-3.0-only", "apache-2.0"]
              }
            }
            """);

        var finding = Assert.Single(findings);
        Assert.Equal((Severity.Error, ErrorCodes.LicensePolicyContradiction), (finding.Severity, finding.Code));
        Assert.Equal($"'licensePolicy.deny[1]': \"Apache-2.0\" is also allowed by 'licensePolicy.allow[1]' (line {LineOf(lines, "\"allow\"")}): list it in one of the two", finding.Message);
        Assert.Equal((LineOf(lines, "\"deny\""), 30), (finding.Location!.Line, finding.Location.Column));
    }

    [Fact]
    public void A_policy_id_that_is_not_an_SPDX_id_is_CMP6002_at_the_entry()
    {
        var finding = Assert.Single(Review("""{ "licensePolicy": { "deny": ["GPL3"] } }""").Findings);

        Assert.Equal(ErrorCodes.LicenseUnknownId, finding.Code);
        Assert.StartsWith("'licensePolicy.deny[0]': \"GPL3\" is not on the SPDX License List", finding.Message);
    }

    [Fact]
    public void The_teacher_files_metadata_licence_is_used_and_judged_at_the_onnx_field()
    {
        TeacherWithLicense("CC-BY-NC-4.0");
        var (inputs, findings, lines) = Review("""
            {
              "teacher": { "onnx": "teacher.onnx" },
              "licensePolicy": { "deny": ["CC-BY-NC-4.0"] }
            }
            """);

        var teacher = Assert.Single(inputs);
        Assert.Equal((LicenseSource.OnnxMetadata, "teacher.onnx", "CC-BY-NC-4.0"), (teacher.Source, teacher.LicensePath, teacher.Expression?.ToString()));
        var finding = Assert.Single(findings);
        Assert.Equal(ErrorCodes.LicenseDenied, finding.Code);
        Assert.Contains("teacher 'teacher' (the file's metadata key \"license\")", finding.Message);
        Assert.Equal((2, 24), (finding.Location!.Line, finding.Location.Column));
    }

    [Fact]
    public void A_config_licence_that_differs_from_the_files_metadata_wins_with_a_CMP6009_warning()
    {
        TeacherWithLicense("Apache-2.0");
        Assert.Empty(Review("""{ "teacher": { "onnx": "teacher.onnx", "license": "apache-2.0" } }""").Findings);

        var (inputs, findings, _) = Review("""{ "teacher": { "onnx": "teacher.onnx", "license": "MIT" } }""");

        Assert.Equal("MIT", Assert.Single(inputs).Expression?.ToString());
        var warning = Assert.Single(findings);
        Assert.Equal((Severity.Warning, ErrorCodes.LicenseDisagreement), (warning.Severity, warning.Code));
        Assert.Contains("declares \"Apache-2.0\" in its metadata", warning.Message);
    }

    [Fact]
    public void RequireLicense_wants_one_for_an_ONNX_teacher_and_each_data_split_but_not_for_a_spec_teacher()
    {
        TeacherWithLicense(null);
        var (_, findings, _) = Review("""
            {
              "data": { "train": { "features": "a", "labels": "b" }, "test": { "features": "c", "labels": "d", "license": "MIT" } },
              "teachers": [ { "onnx": "teacher.onnx" }, { "model": { "input": [4], "layers": [ { "type": "linear", "out": 3 } ] } } ],
              "licensePolicy": { "requireLicense": true }
            }
            """);

        Assert.Equal(
            [(ErrorCodes.LicenseMissing, 3, "teacher 'teacher1' declares no licence"), (ErrorCodes.LicenseMissing, 2, "the train data declares no licence")],
            findings.Select(f => (f.Code, f.Location!.Line, string.Join(',', f.Message.Split(',').Take(1)))));
    }

    [Fact]
    public void A_data_licence_shared_by_the_splits_is_reported_once()
    {
        var (inputs, findings, _) = Review("""
            {
              "data": { "license": "CC-BY-NC-4.0", "train": { "features": "a", "labels": "b" }, "test": { "features": "c", "labels": "d" } },
              "licensePolicy": { "deny": ["CC-BY-NC-4.0"] }
            }
            """);

        Assert.Equal(["train", "test"], inputs.Select(i => i.Name));
        Assert.All(inputs, i => Assert.Equal("data.license", i.LicensePath));
        Assert.Equal(ErrorCodes.LicenseDenied, Assert.Single(findings).Code);
    }

    [Fact]
    public void Declared_terms_are_judged_by_the_policy_at_the_term()
    {
        const string Teacher = """{ "onnx": "t.onnx", "license": "LicenseRef-vendor", "terms": ["no-training-on-outputs", "non-commercial"] }""";
        var (_, byDefault, lines) = Review($$"""
            {
              "teacher": {{Teacher}}
            }
            """);
        Assert.Equal(
            [(Severity.Error, ErrorCodes.LicenseNoTrainingOnOutputs, 76), (Severity.Warning, ErrorCodes.LicenseNonCommercial, 102)],
            byDefault.Select(f => (f.Severity, f.Code, f.Location!.Column)));
        Assert.Contains("may not have its outputs used to train another model, which distillation does", byDefault[0].Message);

        var (_, relaxed, _) = Review($$"""
            {
              "teacher": {{Teacher}},
              "licensePolicy": { "terms": { "noTrainingOnOutputs": "warning", "nonCommercial": "ignore" } }
            }
            """);
        Assert.Equal([(Severity.Warning, ErrorCodes.LicenseNoTrainingOnOutputs)], relaxed.Select(f => (f.Severity, f.Code)));
    }

    [Fact]
    public void An_unknown_term_or_a_teachers_term_on_data_is_CMP6011()
    {
        var (_, findings, _) = Review("""
            {
              "teacher": { "onnx": "t.onnx", "terms": ["non-comercial"] },
              "data": { "terms": ["no-training-on-outputs"], "train": { "features": "a", "labels": "b" }, "test": { "features": "c", "labels": "d" } }
            }
            """);

        Assert.Equal([ErrorCodes.LicenseUnknownTerm, ErrorCodes.LicenseUnknownTerm], findings.Select(f => f.Code));
        Assert.Contains("unknown licence term \"non-comercial\"; did you mean \"non-commercial\"?", findings[0].Message);
        Assert.Contains("a data set has no outputs", findings[1].Message);
    }

    [Fact]
    public void A_deprecated_id_is_a_CMP6010_warning()
    {
        var finding = Assert.Single(Review("""{ "teacher": { "onnx": "t.onnx", "license": "GPL-2.0" } }""").Findings);

        Assert.Equal((Severity.Warning, ErrorCodes.LicenseDeprecated), (finding.Severity, finding.Code));
        Assert.Contains("GPL-2.0-only or GPL-2.0-or-later", finding.Message);
    }
}
