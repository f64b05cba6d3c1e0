using System.Globalization;
using Compression.Core.Running;
using Compression.Models.Spec;
using Compression.Models;

namespace Compression.Core.Tests.Running;

public class MemoryBudgetTests
{
    [Fact]
    public void Max_model_memory_mb_is_the_limit_in_mebibytes_and_named_in_messages()
    {
        MemoryBudget budget = MemoryBudget.For(1.5);

        Assert.Equal(1_572_864, budget.Bytes);
        Assert.Equal("maxModelMemoryMb 1.5", budget.Source);
    }

    [Fact]
    public void Without_max_model_memory_mb_the_limit_is_80_percent_of_the_memory_dotnet_sees_as_available()
    {
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

        MemoryBudget budget = MemoryBudget.For(null);

        Assert.Equal((long)(available * 0.8), budget.Bytes);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"80% of the {MemoryEstimate.Format(available)} available; raise it with maxModelMemoryMb"), budget.Source);
    }
}
