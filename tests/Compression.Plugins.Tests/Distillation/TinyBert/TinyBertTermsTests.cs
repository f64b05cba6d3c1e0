using Compression.Abstractions.Stages;
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

    [Fact]
    public void A_layer_map_is_used_as_given_and_an_empty_one_is_the_uniform_map()
    {
        Assert.Equal([0, 5], TinyBertTerms.Match([0, 5], studentLayers: 2, teacherLayers: 6));
        Assert.Equal([2, 5], TinyBertTerms.Match([], studentLayers: 2, teacherLayers: 6));
    }

    [Theory]
    [InlineData(9)]
    [InlineData(-1)]
    public void A_layer_map_entry_beyond_the_teacher_s_layers_names_the_entry_in_its_message_and_path(int entry)
    {
        var error = Assert.Throws<StageException>(() => TinyBertTerms.Match([0, entry], studentLayers: 2, teacherLayers: 6));

        Assert.Equal("layerMap[1]", error.SettingsPath);
        // The host prints a stage error as "stage 'distill': <message>", so the message itself says which entry.
        Assert.Equal($"'layerMap[1]' is {entry} but the teacher has 6 encoder layers: expected 0 to 5", error.Message);
    }
}
