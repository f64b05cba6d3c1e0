using Compression.Models.Spec;

namespace Compression.Models.Tests.Spec;

public class ModelSpecTests
{
    [Fact]
    public void Shapes_are_inferred_through_every_layer()
    {
        var spec = Specs.Parse("""{"input":[1,28,28],"layers":[{"type":"conv2d","out":8,"kernel":3,"padding":1},{"type":"maxpool2d","kernel":2},{"type":"flatten"},{"type":"linear","out":10}]}""");
        Assert.Equal([8, 28, 28], spec.Shapes[0]);
        Assert.Equal([8, 14, 14], spec.Shapes[1]);
        Assert.Equal([1568], spec.Shapes[2]);
        Assert.Equal([10], spec.OutputShape());
    }

    [Fact]
    public void An_unknown_layer_type_names_its_path_and_the_known_types()
    {
        var error = Assert.Throws<ModelSpecException>(() => Specs.Parse("""{"input":[4],"layers":[{"type":"linear","out":2},{"type":"lstm"}]}""", "student"));
        Assert.Equal("student.layers[1].type", error.JsonPath);
        Assert.Contains("conv2d", error.Message);
    }

    [Fact]
    public void An_unknown_field_names_the_fields_the_layer_has()
    {
        var error = Assert.Throws<ModelSpecException>(() => Specs.Parse("""{"input":[4],"layers":[{"type":"linear","outs":2}]}""", "student"));
        Assert.Equal("student.layers[0].outs", error.JsonPath);
        Assert.Contains("its fields are name, out, bias", error.Message);
    }

    [Fact]
    public void A_kernel_larger_than_its_input_is_rejected_at_the_kernel()
    {
        var error = Assert.Throws<ModelSpecException>(() => Specs.Parse("""{"input":[1,4,4],"layers":[{"type":"conv2d","out":2,"kernel":5}]}""", "t"));
        Assert.Equal("t.layers[0].kernel", error.JsonPath);
    }

    [Fact]
    public void Linear_on_an_image_says_to_flatten_first()
    {
        var error = Assert.Throws<ModelSpecException>(() => Specs.Parse("""{"input":[1,4,4],"layers":[{"type":"linear","out":2}]}""", "t"));
        Assert.Contains("add {\"type\": \"flatten\"} before it", error.Message);
    }

    [Fact]
    public void Canonical_json_round_trips()
    {
        var spec = Specs.Parse("""{"layers":[{"type":"dropout","p":0.25},{"type":"linear","out":3}],"input":[6]}""");
        var again = Specs.Parse(spec.ToJson());
        Assert.Equal(spec.ToJson(), again.ToJson());
        Assert.Equal("""{"input":[6],"layers":[{"type":"dropout","p":0.25},{"type":"linear","out":3,"bias":true}]}""", spec.ToJson());
    }
}
