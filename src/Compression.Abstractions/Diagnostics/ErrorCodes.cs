namespace Compression.Abstractions.Diagnostics;

/// <summary>
/// Every code the tool reports, documented in docs/error-codes.md (a test keeps the two equal both ways).
/// Never renumber: users search for and suppress them. A plugin reports with these constants too
/// (a stage warning's <see cref="Stages.StageWarning.Code"/>, a settings error's <see cref="Stages.SettingsError.Code"/>).
/// </summary>
public static class ErrorCodes
{
    // CMP1xxx: the config file.
    /// <summary>Config file not found.</summary>
    public const string ConfigNotFound = "CMP1001";

    /// <summary>Compression.json is not valid JSON.</summary>
    public const string ConfigSyntax = "CMP1002";

    /// <summary>Unknown or misspelled field (with a "did you mean").</summary>
    public const string UnknownField = "CMP1003";

    /// <summary>A value of the wrong type or out of range.</summary>
    public const string InvalidValue = "CMP1004";

    /// <summary>A required field or section is missing.</summary>
    public const string MissingField = "CMP1005";

    /// <summary>Unknown stage name (lists the known stages).</summary>
    public const string UnknownStage = "CMP1006";

    /// <summary>The plan does not chain, e.g. "stage 'benchmark' needs an ONNX model (add an 'export' stage before it)", or a stage makes a new torch model after 'export' already turned one into ONNX ('prune' after 'export').</summary>
    public const string PlanBroken = "CMP1007";

    /// <summary>Invalid model spec (unknown layer, impossible shape).</summary>
    public const string InvalidModelSpec = "CMP1008";

    /// <summary>A plugin cannot be loaded or is not a plugin.</summary>
    public const string PluginLoad = "CMP1009";

    /// <summary>A budget needs a metric no planned stage measures (e.g. latency without a benchmark, the KD gain without a scratch baseline); reported by <c>compress validate</c> and before a run starts.</summary>
    public const string BudgetNeedsMetric = "CMP1010";

    /// <summary>A model would need more memory to train (or, for an ONNX teacher, to hold its weights) than <c>maxModelMemoryMb</c> or 80% of the available memory; checked from the spec's shapes or the file before anything is allocated.</summary>
    public const string ModelTooLargeForMemory = "CMP1011";

    /// <summary>A key appears twice in one object of compression.json (top level, stage settings, an inline model spec): JSON readers keep the last silently, so it is an error; the message names the first occurrence's line.</summary>
    public const string DuplicateKey = "CMP1012";

    /// <summary>Compression.json is larger than 1 MiB (1,048,576 bytes); checked from the file's size before it is read (a config holds settings and model specs; a 25 MB one used to peak at 1.9 GB of memory).</summary>
    public const string ConfigTooLarge = "CMP1013";

    /// <summary><c>--copy-model-to</c> (the app's model.onnx from MSBuild) names a folder or a path below a regular file; checked before the run starts.</summary>
    public const string CopyTargetUnusable = "CMP1014";

    /// <summary><c>data.labeledCount</c>, or the rows <c>data.labeledFraction</c> keeps, is below the number of classes, so some class would have no labelled sample; known when the data is read.</summary>
    public const string FewerLabelsThanClasses = "CMP1015";

    /// <summary>A generic budget (<c>budgets.metrics[i]</c>) names a metric that no planned stage or the evaluation reports.</summary>
    public const string UnknownBudgetMetric = "CMP1030";

    /// <summary>The config's <c>task</c> names no registered evaluator.</summary>
    public const string UnknownTask = "CMP1031";

    // CMP2xxx: data and model files.
    /// <summary>A data file is malformed (wrong magic, truncated, bad CSV row, a NUL character, count mismatch), exceeds a size limit.</summary>
    public const string DataInvalid = "CMP2001";

    /// <summary>A data file or the teacher file does not exist.</summary>
    public const string DataNotFound = "CMP2002";

    /// <summary>The teacher is not a usable ONNX model.</summary>
    public const string TeacherInvalid = "CMP2003";

    /// <summary>Shapes disagree (teacher input vs samples, spec input vs data, classes).</summary>
    public const string ShapeMismatch = "CMP2004";

    /// <summary>A data path, an ONNX teacher path or the baseline path (also with <c>--update-baseline</c>) is not a regular file: a folder, a character or block device.</summary>
    public const string DataNotRegularFile = "CMP2005";

    /// <summary>The work folder cannot be used: it is a file, cannot be created or written (permissions, a read-only file system).</summary>
    public const string WorkFolderUnusable = "CMP2010";

    /// <summary>The disk filled up during the run (nothing partial is kept in the cache).</summary>
    public const string DiskFull = "CMP2011";

    // CMP3xxx: the gate.
    /// <summary>Accuracy retention below <c>minAccuracyRetention</c>.</summary>
    public const string RetentionBelowBudget = "CMP3001";

    /// <summary>Accuracy drop above <c>maxAccuracyDropPoints</c>.</summary>
    public const string AccuracyDropAboveBudget = "CMP3002";

    /// <summary>Student p95 latency above <c>maxP95LatencyMs</c>.</summary>
    public const string LatencyAboveBudget = "CMP3003";

    /// <summary>Speedup below <c>minSpeedup</c>.</summary>
    public const string SpeedupBelowBudget = "CMP3004";

    /// <summary>Student ONNX file above <c>maxModelBytes</c>.</summary>
    public const string ModelBytesAboveBudget = "CMP3005";

    /// <summary>Student expected calibration error (test split, 15 bins) above <c>maxEce</c>.</summary>
    public const string CalibrationErrorAboveBudget = "CMP3006";

    /// <summary>The lower bound of the KD gain's 95% interval (distilled minus scratch, points) below <c>minDistillationGainPoints</c>.</summary>
    public const string DistillationGainBelowBudget = "CMP3007";

    /// <summary>Student negative log-likelihood on the test split above <c>maxNll</c>.</summary>
    public const string NllAboveBudget = "CMP3008";

    /// <summary>Student parameters (initializer elements of the final ONNX file, as the summary counts them) above <c>maxParams</c>.</summary>
    public const string ParametersAboveBudget = "CMP3009";

    /// <summary>Student multiply-adds per sample (the final ONNX graph's Conv/Gemm/MatMul, the summary's FLOPs row) above <c>maxFlops</c> (a graph with an operator the count does not know has no FLOPs: CMP1010 at the budget).</summary>
    public const string FlopsAboveBudget = "CMP3010";

    /// <summary>Student recall@10 / teacher recall@10 on the embedding task's query/document pairs below <c>minRecallAt10Retention</c>.</summary>
    public const string RecallRetentionBelowBudget = "CMP3011";

    /// <summary>Student p95 or p50 latency on a benchmark target above its <c>budgets.targets.NAME.maxP95LatencyMs</c> / <c>maxP50LatencyMs</c>.</summary>
    public const string TargetLatencyAboveBudget = "CMP3012";

    /// <summary>Speedup over the teacher on a benchmark target below its <c>budgets.targets.NAME.minSpeedup</c>.</summary>
    public const string TargetSpeedupBelowBudget = "CMP3013";

    /// <summary>Student peak memory on a benchmark target above its <c>budgets.targets.NAME.maxMemoryBytes</c>.</summary>
    public const string TargetMemoryAboveBudget = "CMP3014";

    /// <summary>A generic budget's metric (<c>budgets.metrics[i]</c>) is below its <c>min</c> or above its <c>max</c>.</summary>
    public const string MetricBudgetMissed = "CMP3020";

    /// <summary>Regression from the committed baseline beyond its tolerance: student accuracy when the whole interval of the difference.</summary>
    public const string BaselineRegression = "CMP3101";

    /// <summary>Warning: the accuracy comparison with the baseline is void, because this run's test data.</summary>
    public const string BaselineVoid = "CMP3102";

    /// <summary>The baseline file is of another format: one written by an older compress.</summary>
    public const string BaselineOldFormat = "CMP3103";

    /// <summary>The baseline file is malformed: not JSON, or a field missing or inconsistent.</summary>
    public const string BaselineMalformed = "CMP3104";

    /// <summary>Warning: the latency comparison with the baseline's model straddles the tolerance after the most rounds (re-run).</summary>
    public const string BaselineLatencyInconclusive = "CMP3105";

    /// <summary>Warning: latency is not compared with the baseline (a format-2 file keeps no model, or the models take different inputs).</summary>
    public const string BaselineLatencyNotCompared = "CMP3106";

    /// <summary>CMP3xxx codes that are bad input rather than a missed budget: <c>--warn-only</c> never downgrades them.</summary>
    public static bool IsGateInputError(string code) => code is BaselineOldFormat or BaselineMalformed;

    // CMP4xxx: a stage failed on valid input.
    /// <summary>A stage could not work with valid-looking input (e.g. a student with the wrong number of classes; a tap naming a tensor the teacher does not have, or one without a fixed shape, listing the tensors it has; an adapter.</summary>
    public const string StageFailed = "CMP4001";

    /// <summary>Training diverged: the loss became NaN or infinite (located at the learning rate).</summary>
    public const string TrainingDiverged = "CMP4002";

    /// <summary>A model gave NaN or infinite outputs on finite input (its weights are broken).</summary>
    public const string NonFiniteOutputs = "CMP4003";

    /// <summary>A model answers (nearly) one class for every test sample, no better than the majority class: it learned nothing.</summary>
    public const string ModelCollapsed = "CMP4004";

    /// <summary>A benchmark target cannot be reached: the host does not resolve, refuses or does not answer within its connect timeout.</summary>
    public const string TargetUnreachable = "CMP4010";

    /// <summary>A benchmark target refused us: the key or agent was not accepted, or the host key is unknown or changed.</summary>
    public const string TargetAuthenticationFailed = "CMP4011";

    /// <summary>The runner cannot start on a benchmark target: a missing C/C++ runtime, another architecture, no emulator, no usable temp folder.</summary>
    public const string TargetRuntimeMissing = "CMP4012";

    /// <summary>A benchmark target's run took longer than its <c>timeoutSeconds</c>.</summary>
    public const string TargetTimedOut = "CMP4013";

    /// <summary>The runner on a benchmark target failed, was killed or lost its connection mid-run, or answered something that is not the runner protocol.</summary>
    public const string TargetRunFailed = "CMP4014";

    /// <summary>The runner could not be published for a target's runtime identifier (dotnet publish failed).</summary>
    public const string TargetRunnerPublishFailed = "CMP4015";

    // CMP5xxx: a stage kept a safer result (warnings).

    /// <summary>Warning: the fitted temperature cannot be trusted (too few samples or mistakes, T at the search bound, no validation split), so calibrate keeps T = 1.</summary>
    public const string CalibrationTemperatureUntrusted = "CMP5001";

    /// <summary>Warning: temperature scaling raised the test NLL (reported, not undone).</summary>
    public const string CalibrationRaisedNll = "CMP5002";

    /// <summary>Warning: the int8 model is larger than the fp32 one and not clearly faster, so the quantize stage ships fp32.</summary>
    public const string QuantizeKeptFp32 = "CMP5010";

    // CMP6xxx: licences and provenance.

    /// <summary>A licence is not an SPDX expression.</summary>
    public const string LicenseSyntax = "CMP6001";

    /// <summary>A licence or exception id that the SPDX License List does not have.</summary>
    public const string LicenseUnknownId = "CMP6002";

    /// <summary>The policy both allows and denies an id.</summary>
    public const string LicensePolicyContradiction = "CMP6003";

    /// <summary>A licence the policy denies.</summary>
    public const string LicenseDenied = "CMP6004";

    /// <summary>A licence outside the policy's allow list.</summary>
    public const string LicenseNotAllowed = "CMP6005";

    /// <summary>The policy requires a licence and an input declares none.</summary>
    public const string LicenseMissing = "CMP6006";

    /// <summary>A teacher whose outputs may not train another model.</summary>
    public const string LicenseNoTrainingOnOutputs = "CMP6007";

    /// <summary>An input licensed for non-commercial use only.</summary>
    public const string LicenseNonCommercial = "CMP6008";

    /// <summary>compression.json and the teacher file's metadata declare different licences.</summary>
    public const string LicenseDisagreement = "CMP6009";

    /// <summary>A deprecated SPDX id.</summary>
    public const string LicenseDeprecated = "CMP6010";

    /// <summary>An unknown or misplaced licence term.</summary>
    public const string LicenseUnknownTerm = "CMP6011";

    /// <summary>A model given to <c>compress inspect</c> carries no provenance metadata.</summary>
    public const string ModelWithoutProvenance = "CMP6012";

    /// <summary>A file given to <c>compress inspect</c> is not an ONNX model (not protobuf, truncated, empty, no graph).</summary>
    public const string NotAnOnnxModel = "CMP6013";

    // CMP9xxx: the tool itself (CMP9001-CMP9003 and CMP9006 are the MSBuild side's, reported by the build).

    /// <summary>An internal error in compress (a bug): exit code 3, the stack trace in compress.log.</summary>
    public const string InternalError = "CMP9004";
}
