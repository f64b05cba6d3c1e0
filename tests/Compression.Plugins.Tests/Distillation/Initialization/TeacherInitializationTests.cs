using System.Text.Json;
using Compression.Abstractions.Distillation;
using Compression.Plugins.Distillation;
using Compression.Plugins.Distillation.Initialization;
using Microsoft.Extensions.DependencyInjection;

namespace Compression.Plugins.Tests.Distillation.Initialization;

/// <summary><c>init.fromTeacher</c> and <c>init.fromTeacherTokens</c> are checked against the method and the student spec before anything runs.</summary>
public sealed class TeacherInitializationTests
{
    private const string TwoEncoders = """
        {"input": [2, 8], "layers": [
          {"type": "token-embedding", "vocabulary": 50, "hidden": 16, "maxPositions": 8},
          {"type": "encoder", "heads": 2, "hidden": 16, "intermediate": 32},
          {"type": "encoder", "heads": 2, "hidden": 16, "intermediate": 32},
          {"type": "mean-pool"}]}
        """;

    private static readonly IServiceProvider s_services = StageHarness.Services(s => s.AddSingleton<IDistillationMethod, HintonKdMethod>());

    [Fact]
    public void One_teacher_layer_per_student_encoder_passes()
    {
        Assert.Empty(new DistillStage().Validate(Settings("embedding", [0, 2]), s_services));
    }

    [Fact]
    public void A_count_that_differs_from_the_students_encoders_is_an_error_at_the_list()
    {
        var error = Assert.Single(new DistillStage().Validate(Settings("embedding", [0, 2, 4]), s_services));

        Assert.Equal("init.fromTeacher.layers", error.Path);
        Assert.Contains("lists 3 teacher layers but the student has 2 encoder layers", error.Message);
    }

    [Fact]
    public void A_negative_index_an_empty_list_and_a_logit_method_are_errors_at_their_fields()
    {
        Assert.Equal("init.fromTeacher.layers[1]", Assert.Single(new DistillStage().Validate(Settings("embedding", [0, -1]), s_services)).Path);
        Assert.Equal("init.fromTeacher.layers", Assert.Single(new DistillStage().Validate(Settings("embedding", []), s_services)).Path);
        Assert.Contains(new DistillStage().Validate(Settings("kd", [0, 2]), s_services), e => e.Path == "init.fromTeacher");
    }

    private const string Static = """
        {"input": [2, 8], "layers": [
          {"type": "token-embedding", "vocabulary": 50, "hidden": 16, "maxPositions": 8, "norm": false},
          {"type": "mean-pool"},
          {"type": "linear", "out": 32},
          {"type": "normalize"}]}
        """;

    [Fact]
    public void A_token_table_for_a_static_student_without_the_embedding_norm_passes()
    {
        Assert.Empty(new DistillStage().Validate(TokenSettings("embedding", Static), s_services));
    }

    [Fact]
    public void A_token_table_is_refused_for_a_student_with_the_norm_a_logit_method_or_beside_copied_embeddings()
    {
        var norm = Assert.Single(new DistillStage().Validate(TokenSettings("embedding", Static.Replace(", \"norm\": false", "", StringComparison.Ordinal)), s_services));
        var method = new DistillStage().Validate(TokenSettings("kd", Static), s_services);
        DistillSettings both = TokenSettings("embedding", TwoEncoders.Replace("\"maxPositions\": 8}", "\"maxPositions\": 8, \"norm\": false}", StringComparison.Ordinal));
        both.Init.FromTeacher = new TeacherInitSettings { Layers = [0, 2] };

        Assert.Equal("student.layers[0].norm", norm.Path);
        Assert.Contains("set \"norm\": false", norm.Message);
        Assert.Contains(method, e => e.Path == "init.fromTeacherTokens" && e.Message.Contains("not \"kd\"", StringComparison.Ordinal));
        Assert.Contains(new DistillStage().Validate(both, s_services), e => e.Path == "init.fromTeacherTokens" && e.Message.Contains("both set the token table", StringComparison.Ordinal));
    }

    private static DistillSettings TokenSettings(string method, string student) => new()
    {
        Student = JsonDocument.Parse(student).RootElement,
        Method = method,
        Epochs = 1,
        Init = new InitSettings { FromTeacherTokens = true },
    };

    private static DistillSettings Settings(string method, List<int> layers) => new()
    {
        Student = JsonDocument.Parse(TwoEncoders).RootElement,
        Method = method,
        Epochs = 1,
        Init = new InitSettings { FromTeacher = new TeacherInitSettings { Layers = layers } },
    };
}
