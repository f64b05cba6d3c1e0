using System.Text;
using Compression.Core.Config;
using Compression.Core.Diagnostics;
using Compression.Data.Tests.Fuzz;

namespace Compression.Core.Tests.Config;

/// <summary>
/// Issue 12: mutations of a valid compression.json (fixed seed, bounded count: random bytes, and
/// JSON-aware ones: dropped braces, swapped types, huge numbers, deep nesting) are loaded or refused
/// with a located <see cref="CompressionException"/>, never another exception.
/// </summary>
public class ConfigLoaderFuzzTests
{
    private const string Valid = """
        {
          "seed": 7,
          "data": { "format": "csv", "train": { "path": "a.csv" }, "test": { "path": "b.csv" }, "validationFraction": 0.2 },
          "teacher": { "model": { "input": [4], "layers": [ { "type": "linear", "out": 3 } ] }, "training": { "epochs": 2 } },
          "stages": [ { "stage": "distill", "settings": { "temperature": 4 } }, { "stage": "export" } ],
          "budgets": { "minAccuracyRetention": 0.9, "maxModelBytes": 1000 }
        }
        """;

    private static readonly string[] s_tokens = ["{", "}", "[", "]", ",", ":", "\"", "null", "true", "1e400", "-1", "99999999999999999999", "\"\\u0000\"", "\"\\ud800\"", "[null]", "[[[[[[[[[[", "\"x\":"];

    [Fact]
    public void Mutated_configs_load_or_fail_with_a_located_input_error()
    {
        using var folder = new TempFolder();
        var random = new Random(31);
        byte[] valid = Encoding.UTF8.GetBytes(Valid);
        var cases = Mutator.Cases(valid, 300, seed: 31).Concat(Enumerable.Range(0, 200).Select(_ => TokenMutation(random)));
        int refused = 0, index = 0;
        foreach (byte[] mutated in cases)
        {
            string path = folder.Write($"case-{index++}.json", "");
            File.WriteAllBytes(path, mutated);
            try
            {
                ConfigLoader.Load(path);
            }
            catch (CompressionException ex)
            {
                refused++;
                Assert.All(ex.Findings, f => Assert.Matches("^CMP[12][0-9]{3}$", f.Code));
            }
            catch (Exception ex)
            {
                Assert.Fail($"case {index - 1} threw {ex.GetType().Name}: {ex.Message}\n{Encoding.UTF8.GetString(mutated)}");
            }
        }
        Assert.True(refused > 250, $"only {refused} of {index} mutations were refused");
    }

    [Fact]
    public void A_deeply_nested_config_is_a_syntax_error_not_a_stack_overflow()
    {
        using var folder = new TempFolder();
        string path = folder.Write("deep.json", "{\"stages\": " + new string('[', 100_000) + new string(']', 100_000) + "}");

        var error = Assert.Throws<CompressionException>(() => ConfigLoader.Load(path));

        Assert.Equal(ErrorCodes.ConfigSyntax, Assert.Single(error.Findings).Code);
    }

    [Theory]
    [InlineData("""{"plugins": [null]}""", "CMP1004", "'plugins[0]' is null")]
    [InlineData("""{"data": {"format": "\ud800"}}""", "CMP1002", "unpaired surrogate")]
    public void Values_valid_json_allows_but_no_setting_takes_are_located_input_errors(string json, string code, string message)
    {
        using var folder = new TempFolder();
        string path = folder.Write("odd.json", json);

        var error = Assert.Throws<CompressionException>(() => ConfigLoader.Load(path));

        Assert.Contains(error.Findings, f => f.Code == code && f.Message.Contains(message, StringComparison.Ordinal));
    }

    /// <summary>Replaces, inserts or deletes a JSON token at a random place.</summary>
    private static byte[] TokenMutation(Random random)
    {
        var text = new StringBuilder(Valid);
        for (int m = random.Next(1, 3); m > 0; m--)
        {
            int at = random.Next(text.Length);
            switch (random.Next(3))
            {
                case 0:
                    text.Insert(at, s_tokens[random.Next(s_tokens.Length)]);
                    break;
                case 1:
                    text.Remove(at, Math.Min(random.Next(1, 12), text.Length - at));
                    break;
                default:
                    text.Replace("4", s_tokens[random.Next(s_tokens.Length)], at, Math.Min(40, text.Length - at));
                    break;
            }
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
