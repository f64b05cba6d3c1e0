using System.Text;
using Compression.Core.Config;

namespace Compression.Core.Tests.Config;

public class JsonLocationIndexTests
{
    private const string Json = """
        {
          "seed": 1,
          "stages": [
            { "stage": "distill", "settings": { "temperature": 4 } },
            { "stage": "export" }
          ],
          "budgets": {
            "minAccuracyRetention": 0.98
          }
        }
        """;

    private static JsonLocationIndex Index() => JsonLocationIndex.Build("/x/compression.json", Encoding.UTF8.GetBytes(Json));

    [Fact]
    public void Property_paths_point_at_the_property_name()
    {
        var location = Index().Locate("budgets.minAccuracyRetention");
        Assert.Equal((8, 5), (location.Line, location.Column));
    }

    [Fact]
    public void Array_elements_and_nested_settings_are_indexed()
    {
        var index = Index();
        Assert.Equal((4, 41), (index.Locate("stages[0].settings.temperature").Line, index.Locate("stages[0].settings.temperature").Column));
        Assert.Equal((5, 16), (index.LocateValue("stages[1].stage").Line, index.LocateValue("stages[1].stage").Column));
    }

    [Fact]
    public void An_unknown_path_falls_back_to_its_nearest_parent()
    {
        var location = Index().Locate("stages[0].settings.alpha");
        Assert.Equal(4, location.Line);
        Assert.Equal(27, location.Column);
    }

    [Fact]
    public void Value_locations_point_at_the_value()
    {
        var location = Index().LocateValue("seed");
        Assert.Equal((2, 11), (location.Line, location.Column));
    }

    /// <summary>
    /// A config on one line of several megabytes (issue 12: a 50 MB one took 260 s to locate its error):
    /// positions stay exact, counted in characters even after multi-byte ones.
    /// </summary>
    [Fact]
    public void A_long_single_line_config_is_located_exactly()
    {
        var json = new StringBuilder("{\"plugins\": [");
        for (int i = 0; i < 200_000; i++)
        {
            json.Append("\"é\",");
        }
        int column = json.Length + 1;
        json.Append("\"last\"], \"seed\": 3}");
        string text = json.ToString();

        var index = JsonLocationIndex.Build("/x/big.json", Encoding.UTF8.GetBytes(text));

        Assert.Equal((1, column), (index.LocateValue("plugins[200000]").Line, index.LocateValue("plugins[200000]").Column));
        Assert.Equal((1, text.IndexOf("\"seed\"", StringComparison.Ordinal) + 1), (index.Locate("seed").Line, index.Locate("seed").Column));
    }
}
