using Compression.Core.Running;

namespace Compression.Core.Tests.Running;

public class SystemDataHintTests
{
    [Fact]
    public void A_path_under_the_Debian_data_set_folder_names_the_package()
    {
        Assert.Equal(
            "; /usr/share/datasets/ is where Debian's data set packages install their files: apt-get install dataset-fashion-mnist",
            SystemDataHint.For("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"));
    }

    [Theory]
    [InlineData("/home/me/data/train-images-idx3-ubyte.gz")]
    [InlineData("/usr/share/datasets/")]
    [InlineData("/usr/share/datasets/odd name/train.csv")]
    [InlineData("/usr/share/datasets-extra/fashion-mnist/train.csv")]
    public void Any_other_path_gets_no_hint(string path) => Assert.Equal("", SystemDataHint.For(path));
}
