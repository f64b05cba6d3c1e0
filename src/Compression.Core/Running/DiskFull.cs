namespace Compression.Core.Running;

/// <summary>Recognises "no space left on device" (ENOSPC on Linux, ERROR_DISK_FULL / HANDLE_DISK_FULL on Windows) in an exception chain.</summary>
public static class DiskFull
{
    private const int NoSpaceOnUnix = 28;
    private const int DiskFullOnWindows = unchecked((int)0x80070070);
    private const int HandleDiskFullOnWindows = unchecked((int)0x80070027);

    public static bool Is(Exception? exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is IOException && current.HResult is NoSpaceOnUnix or DiskFullOnWindows or HandleDiskFullOnWindows)
            {
                return true;
            }
        }
        return false;
    }
}
