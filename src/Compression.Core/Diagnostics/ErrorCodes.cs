namespace Compression.Core.Diagnostics;

/// <summary>
/// Stable error codes, documented in docs/error-codes.md. Never renumber: users search for and
/// suppress them.
/// </summary>
public static class ErrorCodes
{
    // CMP1xxx: the config file.
    public const string ConfigNotFound = "CMP1001";
    public const string ConfigSyntax = "CMP1002";
    public const string UnknownField = "CMP1003";
    public const string InvalidValue = "CMP1004";
    public const string MissingField = "CMP1005";
    public const string UnknownStage = "CMP1006";
    public const string PlanBroken = "CMP1007";
    public const string InvalidModelSpec = "CMP1008";
    public const string PluginLoad = "CMP1009";
    public const string BudgetNeedsMetric = "CMP1010";
    public const string ModelTooLargeForMemory = "CMP1011";
    public const string DuplicateKey = "CMP1012";
    public const string ConfigTooLarge = "CMP1013";
    public const string CopyTargetUnusable = "CMP1014";
    public const string FewerLabelsThanClasses = "CMP1015";

    /// <summary>A generic budget (<c>budgets.metrics[i]</c>) names a metric that no planned stage or the evaluation reports.</summary>
    public const string UnknownBudgetMetric = "CMP1030";

    /// <summary>The config's <c>task</c> names no registered evaluator.</summary>
    public const string UnknownTask = "CMP1031";

    // CMP2xxx: data and model files.
    public const string DataInvalid = "CMP2001";
    public const string DataNotFound = "CMP2002";
    public const string TeacherInvalid = "CMP2003";
    public const string ShapeMismatch = "CMP2004";
    public const string DataNotRegularFile = "CMP2005";
    public const string WorkFolderUnusable = "CMP2010";
    public const string DiskFull = "CMP2011";

    // CMP3xxx: the gate.
    public const string RetentionBelowBudget = "CMP3001";
    public const string AccuracyDropAboveBudget = "CMP3002";
    public const string LatencyAboveBudget = "CMP3003";
    public const string SpeedupBelowBudget = "CMP3004";
    public const string ModelBytesAboveBudget = "CMP3005";
    public const string CalibrationErrorAboveBudget = "CMP3006";
    public const string DistillationGainBelowBudget = "CMP3007";
    public const string NllAboveBudget = "CMP3008";
    public const string ParametersAboveBudget = "CMP3009";
    public const string FlopsAboveBudget = "CMP3010";

    /// <summary>A generic budget's metric (<c>budgets.metrics[i]</c>) is below its <c>min</c> or above its <c>max</c>.</summary>
    public const string MetricBudgetMissed = "CMP3020";
    public const string BaselineRegression = "CMP3101";
    public const string BaselineVoid = "CMP3102";
    public const string BaselineOldFormat = "CMP3103";
    public const string BaselineMalformed = "CMP3104";

    /// <summary>Warning: the latency comparison with the baseline's model straddles the tolerance after the most rounds (re-run).</summary>
    public const string BaselineLatencyInconclusive = "CMP3105";

    /// <summary>Warning: latency is not compared with the baseline (a format-2 file keeps no model, or the models take different inputs).</summary>
    public const string BaselineLatencyNotCompared = "CMP3106";

    /// <summary>CMP3xxx codes that are bad input rather than a missed budget: <c>--warn-only</c> never downgrades them.</summary>
    public static bool IsGateInputError(string code) => code is BaselineOldFormat or BaselineMalformed;

    // CMP4xxx: a stage failed on valid input.
    public const string StageFailed = "CMP4001";

    /// <summary>Training diverged: the loss became NaN or infinite (located at the learning rate).</summary>
    public const string TrainingDiverged = "CMP4002";

    /// <summary>A model gave NaN or infinite outputs on finite input (its weights are broken).</summary>
    public const string NonFiniteOutputs = "CMP4003";

    /// <summary>A model answers (nearly) one class for every test sample, no better than the majority class: it learned nothing.</summary>
    public const string ModelCollapsed = "CMP4004";

    // CMP9xxx: the tool itself.
    public const string InternalError = "CMP9004";
}
