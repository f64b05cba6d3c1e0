namespace Compression.Models.Pruning;

/// <summary>How a channel's importance is measured.</summary>
public enum ImportanceCriterion
{
    /// <summary>Sum of |w| over every weight tied to the channel (its filter, the next layer's columns, its batchnorm scale).</summary>
    L1,

    /// <summary>Euclidean norm of the same weights.</summary>
    L2,

    /// <summary>|batchnorm scale| (network slimming, Liu et al. 2017); L1 for a group without a batchnorm.</summary>
    BatchNormScale,

    /// <summary>First-order Taylor estimate of the loss change when the channel is removed (Molchanov et al. 2019): (sum of w * dL/dw)^2, summed over batches.</summary>
    Taylor,
}
