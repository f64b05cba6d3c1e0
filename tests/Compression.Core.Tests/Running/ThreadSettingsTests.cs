using Compression.Core.Running;
using Compression.Onnx;
using TorchSharp;

namespace Compression.Core.Tests.Running;

public class ThreadSettingsTests
{
    [Fact]
    public void The_configured_count_reaches_both_pools_and_none_means_the_cpus_the_process_may_use()
    {
        try
        {
            Assert.Equal("threads: 1 (\"threads\" in the config; this process may use " + Environment.ProcessorCount + " CPUs)", ThreadSettings.Apply(1));
            Assert.Equal((1, 1), (ComputeThreads.Count, torch.get_num_threads()));

            Assert.StartsWith($"threads: {Environment.ProcessorCount} (the CPUs this process may use", ThreadSettings.Apply(null));
            Assert.Equal((Environment.ProcessorCount, Environment.ProcessorCount), (ComputeThreads.Count, torch.get_num_threads()));
        }
        finally
        {
            ThreadSettings.Apply(null);
        }
    }
}
