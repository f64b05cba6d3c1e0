namespace Compression.Data.Tests.Fuzz;

/// <summary>
/// Seeded byte-level mutations of a valid file, the kinds a disk, a download or a hand edit make:
/// bit flips, truncation, inserted, deleted and overwritten runs, duplicated chunks. The same seed
/// gives the same cases on every machine.
/// </summary>
public static class Mutator
{
    public static IEnumerable<byte[]> Cases(byte[] valid, int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            yield return Mutate(valid, random);
        }
    }

    public static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = new List<byte>(valid);
        int mutations = random.Next(1, 4);
        for (int m = 0; m < mutations && bytes.Count > 0; m++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 2:
                    bytes.InsertRange(at, Enumerable.Range(0, random.Next(1, 64)).Select(_ => (byte)random.Next(256)));
                    break;
                case 3:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 64), bytes.Count - at));
                    break;
                case 4:
                    // Overwrite a run with 0xFF: huge counts and dimensions in binary headers.
                    for (int j = at; j < Math.Min(bytes.Count, at + random.Next(1, 8)); j++)
                    {
                        bytes[j] = 0xFF;
                    }
                    break;
                case 5:
                    bytes.InsertRange(at, bytes.GetRange(0, Math.Min(bytes.Count, random.Next(1, 256))));
                    break;
                default:
                    bytes[at] = (byte)"\0\n,\"-.e9"[random.Next(8)];
                    break;
            }
        }
        return [.. bytes];
    }
}
