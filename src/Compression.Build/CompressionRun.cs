using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Compression.Build;

/// <summary>
/// Runs <c>compress run</c> out of process (libtorch and ONNX Runtime never load into the MSBuild
/// node) and turns its outcome into MSBuild events: the findings in the findings.sarif it writes
/// become errors and warnings with their code and location (when compress could not write it, the
/// canonical <c>file(line,col): error CMPxxxx: ...</c> lines it printed stand in), and
/// <c>compress: ...</c> progress lines become high-importance messages. Modelled on Grpc.Tools' ProtoCompile.
/// </summary>
public sealed class CompressionRun : ToolTask
{
    /// <summary>The compression.json to run.</summary>
    [Required]
    public string ConfigFile { get; set; } = "";

    /// <summary>Cache and results folder (obj/compression/ by default).</summary>
    [Required]
    public string WorkDirectory { get; set; } = "";

    /// <summary>Path of compress.dll.</summary>
    [Required]
    public string HostPath { get; set; } = "";

    /// <summary>Where to copy the final student ONNX file, if anywhere.</summary>
    public string? CopyModelTo { get; set; }

    /// <summary>Report missed budgets as warnings (CompressionFailOnBudget=false).</summary>
    public bool WarnOnly { get; set; }

    /// <summary>Write the baseline file from this run instead of comparing with it (CompressionUpdateBaseline=true).</summary>
    public bool UpdateBaseline { get; set; }

    /// <summary>Folder shared by projects for trained teachers, or "off" (CompressionTeacherCache); empty for compress's default.</summary>
    public string? TeacherCache { get; set; }

    /// <summary>
    /// Plugin assemblies from the <c>CompressionPlugin</c> item, which a plugin package's build props add
    /// (so a PackageReference is enough), passed as <c>--plugin</c> beside the config's <c>plugins</c>.
    /// </summary>
    public ITaskItem[] Plugins { get; set; } = [];

    protected override string ToolName => "dotnet";

    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.High;

    protected override string GenerateFullPathToTool()
    {
        // The SDK tells tasks which dotnet is running the build; use the same one.
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : ToolName;
    }

    protected override bool ValidateParameters()
    {
        if (!File.Exists(ConfigFile))
        {
            Log.LogError(null, "CMP1001", null, ConfigFile, 0, 0, 0, 0,
                "config file not found: {0} (add a compression.json beside the project, or set the CompressionConfig item)", ConfigFile);
        }
        if (!File.Exists(HostPath))
        {
            Log.LogError(null, "CMP9002", null, HostPath, 0, 0, 0, 0,
                "the compress host was not found at {0}: build src/Compression.Host, or restore the Compression.Build package (CompressionHostPath)", HostPath);
        }
        if (string.IsNullOrWhiteSpace(WorkDirectory))
        {
            Log.LogError(null, "CMP9002", null, null, 0, 0, 0, 0, "CompressionWorkDirectory is empty");
        }
        return !Log.HasLoggedErrors;
    }

    protected override string GenerateCommandLineCommands() => BuildArguments().ToString();

    /// <summary>The arguments after <c>dotnet</c>, quoted for pasting into a shell.</summary>
    public CommandLineBuilder BuildArguments()
    {
        var builder = new CommandLineBuilder(quoteHyphensOnCommandLine: false);
        builder.AppendFileNameIfNotNull(HostPath);
        builder.AppendSwitch("run");
        builder.AppendSwitchIfNotNull("--config ", ConfigFile);
        builder.AppendSwitchIfNotNull("--work-dir ", WorkDirectory);
        builder.AppendSwitchIfNotNull("--copy-model-to ", string.IsNullOrEmpty(CopyModelTo) ? null : CopyModelTo);
        foreach (ITaskItem plugin in Plugins)
        {
            builder.AppendSwitchIfNotNull("--plugin ", plugin.GetMetadata("FullPath"));
        }
        if (WarnOnly)
        {
            builder.AppendSwitch("--warn-only");
        }
        if (UpdateBaseline)
        {
            builder.AppendSwitch("--update-baseline");
        }
        builder.AppendSwitchIfNotNull("--teacher-cache ", string.IsNullOrEmpty(TeacherCache) ? null : TeacherCache);
        return builder;
    }

    private readonly List<OutputLine.Finding> _printed = [];

    private string SarifPath => Path.Combine(WorkDirectory, SarifFindings.FileName);

    protected override int ExecuteTool(string pathToTool, string responseFileCommands, string commandLineCommands)
    {
        // A findings.sarif left by an earlier run must never be reported for this one.
        if (File.Exists(SarifPath))
        {
            File.Delete(SarifPath);
        }
        int exitCode = base.ExecuteTool(pathToTool, responseFileCommands, commandLineCommands);
        ReportFindings();
        return exitCode;
    }

    /// <summary>The findings of findings.sarif, or the printed ones when compress could not write it.</summary>
    private void ReportFindings()
    {
        foreach (OutputLine.Finding finding in SarifFindings.TryRead(SarifPath) ?? _printed)
        {
            if (finding.IsError)
            {
                Log.LogError(null, finding.Code, null, finding.File, finding.Line, finding.Column, 0, 0, "{0}", finding.Message);
            }
            else
            {
                Log.LogWarning(null, finding.Code, null, finding.File, finding.Line, finding.Column, 0, 0, "{0}", finding.Message);
            }
        }
    }

    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        if (OutputLine.TryParseFinding(singleLine, out var finding))
        {
            // Reported from findings.sarif once compress exits; kept in case it could not write that.
            _printed.Add(finding);
            return;
        }
        Log.LogMessage(OutputLine.IsProgress(singleLine) ? MessageImportance.High : MessageImportance.Normal, "{0}", singleLine);
    }

    protected override bool HandleTaskExecutionErrors()
    {
        if (Log.HasLoggedErrors)
        {
            return false;
        }
        if (ExitCode == 3)
        {
            Log.LogError(null, "CMP9004", null, ConfigFile, 0, 0, 0, 0,
                "internal error in compress (a bug, not your input); details in {0}", Path.Combine(WorkDirectory, "compress.log"));
        }
        else
        {
            Log.LogError(null, "CMP9003", null, ConfigFile, 0, 0, 0, 0,
                "compress exited with code {0} without reporting an error; run the command above to see its output", ExitCode);
        }
        return false;
    }
}
