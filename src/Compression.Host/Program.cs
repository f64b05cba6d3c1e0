return await Compression.Host.CompressCommandLine.RunAsync(args);
