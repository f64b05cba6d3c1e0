using Compression.Plugins.Distillation.TinyBert;

namespace Compression.Plugins.Tests.Distillation.TinyBert;

public sealed class TinyBertTermsTests
{
    [Theory]
    [InlineData(3, 6, new[] { 1, 3, 5 })]
    [InlineData(4, 12, new[] { 2, 5, 8, 11 })]
    [InlineData(6, 6, new[] { 0, 1, 2, 3, 4, 5 })]
    [InlineData(2, 3, new[] { 0, 2 })]
    public void The_uniform_map_matches_student_layer_m_to_teacher_layer_m_N_over_M(int student, int teacher, int[] expected)
    {
        Assert.Equal(expected, TinyBertTerms.Uniform(student, teacher));
    }
}
