// Entry point of the runtime the Compression.Build package assembles in an app's obj/ folder.
return await Compression.Host.CompressCommandLine.RunAsync(args);
