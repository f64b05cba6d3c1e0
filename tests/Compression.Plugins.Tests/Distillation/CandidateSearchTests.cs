using System.Text;
using Compression.Abstractions.Distillation;
using Compression.Models.Training;
using Compression.Plugins.Distillation;

namespace Compression.Plugins.Tests.Distillation;

public class CandidateSearchTests
{
    private static readonly Candidate Kd = new(new HintonKdMethod(), new DistillationOptions(4, 0.9, new Dictionary<string, double>()));
    private static readonly Candidate KdCool = new(new HintonKdMethod(), new DistillationOptions(2, 0.5, new Dictionary<string, double>()));

    [Fact]
    public void On_a_validation_tie_the_student_that_needs_no_teacher_wins()
    {
        // kd is listed first and ties scratch: the issue shipped kd here, which was worse on test.
        CandidateResult[] results = [Result(Kd, 0.95), Result(KdCool, 0.93), Result(Candidate.Scratch, 0.95)];

        Assert.True(CandidateSearch.Best(results).Candidate.IsScratch);
        var report = new StringBuilder();
        CandidateSearch.AppendReport(report, results, Candidate.Scratch);
        Assert.Contains("Chosen: `scratch`: it tied `kd T=4 alpha=0.9` at 95.00% validation accuracy, and on a tie the student that needs no teacher wins.", report.ToString());
    }

    [Fact]
    public void A_distilled_student_better_on_validation_still_wins_and_ties_among_distilled_go_to_the_first()
    {
        Assert.Same(Kd, CandidateSearch.Best([Result(Kd, 0.96), Result(Candidate.Scratch, 0.95)]).Candidate);
        Assert.Same(KdCool, CandidateSearch.Best([Result(KdCool, 0.96), Result(Kd, 0.96), Result(Candidate.Scratch, 0.95)]).Candidate);
        Assert.Contains("the best validation accuracy (96.00%)", CandidateSearch.Reason([Result(Kd, 0.96), Result(Candidate.Scratch, 0.95)], Kd));
    }

    private static CandidateResult Result(Candidate candidate, double validationAccuracy) =>
        new(candidate, new RunOutcome(candidate.Label, new TrainingSummary(1, 0.1, validationAccuracy, TimeSpan.Zero), 0.9, [true]));
}
