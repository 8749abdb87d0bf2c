using System.Buffers.Binary;

namespace Sr.Fuzz;

/// <summary>
/// Seeded, bounded byte-level mutations (AFL-style): bit flips, random runs, truncation, insertion, deletion,
/// duplication, "interesting" 32-bit values and splices with another file of the same kind. The same seed gives the
/// same mutants on every run and machine (System.Random with a seed is deterministic).
/// </summary>
public static class Mutator
{
    /// <summary>The largest mutant: inputs stay small so that a case runs in milliseconds.</summary>
    public const int MaxLength = 1 << 20;

    private static readonly uint[] Interesting = [0, 1, 0x7F, 0x80, 0xFF, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 65535 * 3, 1 << 24];

    /// <summary>One to three mutations of <paramref name="input"/>; <paramref name="other"/> is the splice partner. Never returns the input unchanged.</summary>
    public static (byte[] Bytes, string Description) Mutate(byte[] input, byte[] other, Random rng)
    {
        var b = new List<byte>(input);
        var what = new List<string>();
        int count = 1 + rng.Next(3);
        for (int k = 0; k < count; k++) what.Add(Once(b, other, rng));
        if (b.Count > MaxLength) b.RemoveRange(MaxLength, b.Count - MaxLength);
        var bytes = b.ToArray();
        if (bytes.AsSpan().SequenceEqual(input))
        {
            // A mutation that undid itself (a flip flipped back, a run equal to what was there): force one change.
            if (bytes.Length == 0) bytes = [0x00];
            else bytes[rng.Next(bytes.Length)] ^= (byte)(1 << rng.Next(8));
            what.Add("forced flip");
        }
        return (bytes, string.Join(", ", what));
    }

    /// <summary>A position biased towards the first 64 bytes, where the headers are.</summary>
    private static int Position(List<byte> b, Random rng) =>
        b.Count == 0 ? 0 : rng.Next(4) == 0 ? rng.Next(Math.Min(64, b.Count)) : rng.Next(b.Count);

    private static string Once(List<byte> b, byte[] other, Random rng)
    {
        if (b.Count == 0)
        {
            b.AddRange(other.Take(1 + rng.Next(Math.Max(1, other.Length))));
            return "refilled";
        }
        switch (rng.Next(10))
        {
            case 0:
            case 1:
            {
                int flips = 1 + rng.Next(8);
                for (int i = 0; i < flips; i++)
                {
                    int at = Position(b, rng);
                    b[at] ^= (byte)(1 << rng.Next(8));
                }
                return $"{flips} bit flip(s)";
            }
            case 2:
            {
                int at = Position(b, rng), n = Math.Min(1 + rng.Next(16), b.Count - at);
                for (int i = 0; i < n; i++) b[at + i] = (byte)rng.Next(256);
                return $"{n} random byte(s) at {at}";
            }
            case 3:
            {
                int keep = rng.Next(b.Count);
                b.RemoveRange(keep, b.Count - keep);
                return $"truncated to {keep}";
            }
            case 4:
            {
                int at = Position(b, rng), n = 1 + rng.Next(64);
                var bytes = new byte[n];
                rng.NextBytes(bytes);
                b.InsertRange(at, bytes);
                return $"{n} byte(s) inserted at {at}";
            }
            case 5:
            {
                int at = Position(b, rng), n = Math.Min(1 + rng.Next(64), b.Count - at);
                b.RemoveRange(at, n);
                return $"{n} byte(s) deleted at {at}";
            }
            case 6:
            case 7:
            {
                if (b.Count < 4) goto case 0;
                int at = Math.Min(Position(b, rng), b.Count - 4);
                uint v = Interesting[rng.Next(Interesting.Length)];
                Span<byte> f = stackalloc byte[4];
                if (rng.Next(2) == 0) BinaryPrimitives.WriteUInt32BigEndian(f, v); else BinaryPrimitives.WriteUInt32LittleEndian(f, v);
                for (int i = 0; i < 4; i++) b[at + i] = f[i];
                return $"value 0x{v:X} at {at}";
            }
            case 8:
            {
                int at = rng.Next(b.Count), n = Math.Min(1 + rng.Next(256), b.Count - at);
                var run = b.GetRange(at, n);
                b.InsertRange(Position(b, rng), run);
                return $"{n} byte(s) duplicated";
            }
            default:
            {
                int cut = rng.Next(b.Count), from = other.Length == 0 ? 0 : rng.Next(other.Length);
                b.RemoveRange(cut, b.Count - cut);
                b.AddRange(other.Skip(from));
                return $"spliced at {cut}";
            }
        }
    }
}
