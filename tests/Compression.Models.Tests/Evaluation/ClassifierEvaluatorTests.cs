using Compression.Models.Evaluation;

namespace Compression.Models.Tests.Evaluation;

public class ClassifierEvaluatorTests
{
    [Fact]
    public void Agreement_counts_rows_with_the_same_arg_max()
    {
        float[] first = [1, 0, 0, 0, 1, 0];
        float[] second = [2, 1, 0, 1, 0, 0];

        Assert.Equal(0.5, ClassifierEvaluator.Agreement(first, second, 3));
    }
}
