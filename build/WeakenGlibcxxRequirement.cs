using System;
using System.IO;
using System.Text;

// Compiled by RoslynCodeTaskFactory from build/TorchSharp.NativeFix.targets (see there for why).
// Marks one GNU version requirement (a Vernaux entry in .gnu.version_r) weak in a 64-bit
// little-endian ELF shared object, and only when the machine's libstdc++ lacks that version.
public class _CompressionWeakenGlibcxxRequirement : Microsoft.Build.Utilities.Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] Files { get; set; }

    [Microsoft.Build.Framework.Required]
    public string Version { get; set; }

    public override bool Execute()
    {
        if (SystemLibStdCxxHas(Version))
        {
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low,
                "libstdc++ provides {0}; TorchSharp's native library needs no patch.", Version);
            return true;
        }

        foreach (var item in Files)
        {
            string path = item.ItemSpec;
            try
            {
                string outcome = Patch(path, Version);
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, "{0}: {1}", path, outcome);
            }
            catch (Exception ex) when (ex is IOException || ex is InvalidDataException || ex is UnauthorizedAccessException)
            {
                Log.LogError(null, "CMP9001", null, path, 0, 0, 0, 0,
                    "could not mark {0} weak in TorchSharp's native library: {1}", Version, ex.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }

    private static bool SystemLibStdCxxHas(string version)
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
        };
        byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
        foreach (string candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return IndexOf(File.ReadAllBytes(candidate), needle) >= 0;
            }
        }
        // No libstdc++ found where we look: patching is harmless (the entry only becomes optional).
        return false;
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i <= haystack.Length - needle.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) { j++; }
            if (j == needle.Length) { return i; }
        }
        return -1;
    }

    /// <summary>Returns what was done; throws InvalidDataException when the file is not what we expect.</summary>
    private static string Patch(string path, string version)
    {
        byte[] elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            throw new InvalidDataException("not an ELF file");
        }
        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("not a 64-bit little-endian ELF file");
        }

        long sectionHeaders = (long)BitConverter.ToUInt64(elf, 0x28);
        int sectionHeaderSize = BitConverter.ToUInt16(elf, 0x3A);
        int sectionCount = BitConverter.ToUInt16(elf, 0x3C);

        for (int s = 0; s < sectionCount; s++)
        {
            long header = sectionHeaders + (long)s * sectionHeaderSize;
            if (BitConverter.ToUInt32(elf, (int)header + 4) != ShtGnuVerneed)
            {
                continue;
            }
            long offset = (long)BitConverter.ToUInt64(elf, (int)header + 24);
            int linkedStrings = (int)BitConverter.ToUInt32(elf, (int)header + 40);
            int needCount = (int)BitConverter.ToUInt32(elf, (int)header + 44);
            long stringsHeader = sectionHeaders + (long)linkedStrings * sectionHeaderSize;
            long strings = (long)BitConverter.ToUInt64(elf, (int)stringsHeader + 24);

            long need = offset;
            for (int n = 0; n < needCount; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    long name = strings + BitConverter.ToUInt32(elf, (int)aux + 8);
                    if (ReadString(elf, name) == version)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                        if ((flags & VerFlgWeak) != 0)
                        {
                            return version + " is already weak";
                        }
                        flags |= VerFlgWeak;
                        elf[aux + 4] = (byte)(flags & 0xff);
                        elf[aux + 5] = (byte)(flags >> 8);
                        string temp = path + ".patching";
                        // Replace the file rather than write into it: the output copy may be a hard
                        // link to the NuGet cache, which must never change.
                        File.WriteAllBytes(temp, elf);
                        File.Delete(path);
                        File.Move(temp, path);
                        return "marked " + version + " weak";
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                need += BitConverter.ToUInt32(elf, (int)need + 12);
            }
            return "does not require " + version;
        }
        return "has no version requirements section";
    }

    private static string ReadString(byte[] data, long start)
    {
        long end = start;
        while (end < data.Length && data[end] != 0) { end++; }
        return Encoding.ASCII.GetString(data, (int)start, (int)(end - start));
    }
}
