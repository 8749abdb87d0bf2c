using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Sr.Models;
using Sr.Models.Evaluation;
using Sr.Models.Inference;
using Sr.Models.Networks;
using Sr.Models.Training;
using Sr.Models.Upscaling;
using Sr.Torch;
using Sr.Torch.io;
using Sr.Torch.Serialization;
using static Sr.Torch.torch;

namespace Sr.Fuzz;

/// <summary>What one fuzzing run does.</summary>
public sealed record FuzzOptions
{
    /// <summary>Mutated PNG and JPEG files, through the decoder and the upscaler.</summary>
    public int Images { get; init; } = 1000;

    /// <summary>Mutated model files: .srm (byte-level and header-level), plain safetensors and PyTorch .pth.</summary>
    public int Models { get; init; } = 100;

    /// <summary>The run's seed: the same seed gives the same cases.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>A case still running after this is a hang (it is left running in the background; the run goes on).</summary>
    public TimeSpan CaseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Stop starting new cases after this (null = run every case).</summary>
    public TimeSpan? Budget { get; init; }

    /// <summary>Where the mutants are written (a new temporary folder when null; deleted at the end).</summary>
    public string? WorkDirectory { get; init; }
}

/// <summary>How one case ended.</summary>
public enum Verdict
{
    /// <summary>Read (and upscaled) without error, and equal to the original where the format lets that be checked.</summary>
    Accepted,

    /// <summary>Refused with one of our errors naming the file (ImageFormatException, WeightsFormatException, or an argument error naming it).</summary>
    CleanError,

    /// <summary>Refused, but the message does not name the file.</summary>
    UnnamedError,

    /// <summary>Any other exception: a bug (NullReference, IndexOutOfRange, Overflow, OutOfMemory, a raw libtorch error …).</summary>
    Crash,

    /// <summary>Still running after the case timeout.</summary>
    Hang,

    /// <summary>
    /// Loaded without error although what it yields differs from the original, in a format whose checks should have
    /// caught the change: a .srm whose network (weights, type, options, scale) differs from the saved one; a PNG (CRC-32 on
    /// every chunk, Adler-32 on the data) that decodes to other pixels.
    /// </summary>
    SilentWrong,

    /// <summary>
    /// Loaded and different, in a format with no checksum to detect it (JPEG entropy data, plain safetensors, .pth
    /// tensor data): reported, not counted as a failure.
    /// </summary>
    AcceptedChanged,
}

/// <summary>The counts of one target.</summary>
public sealed class TargetStats(string name)
{
    /// <summary>What is fuzzed, through what ("PNG → decode, upscale").</summary>
    public string Name { get; } = name;

    /// <summary>Cases run.</summary>
    public int Cases { get; private set; }

    /// <summary>Cases by verdict.</summary>
    public Dictionary<Verdict, int> Counts { get; } = Enum.GetValues<Verdict>().ToDictionary(v => v, _ => 0);

    /// <summary>The first few problems (crash, hang, silent wrong, unnamed error) with their case, mutation and message.</summary>
    public List<string> Examples { get; } = [];

    /// <summary>How often each kind of clean error was given (its message without the file name, digits as #).</summary>
    public Dictionary<string, int> ErrorKinds { get; } = [];

    /// <summary>Counts one clean error of <paramref name="kind"/>.</summary>
    public void AddError(string kind) => ErrorKinds[kind] = ErrorKinds.GetValueOrDefault(kind) + 1;

    /// <summary>Files one case; <paramref name="example"/> (case, mutation, message) is kept for the first few problems.</summary>
    public void Add(Verdict v, string? example)
    {
        Cases++;
        Counts[v]++;
        if (example is not null && v is Verdict.Crash or Verdict.Hang or Verdict.SilentWrong or Verdict.UnnamedError && Examples.Count < 8) Examples.Add(example);
    }
}

/// <summary>A run's result: per target counts, and the table.</summary>
public sealed class FuzzSummary
{
    /// <summary>Per target, in the table's order.</summary>
    public required IReadOnlyList<TargetStats> Targets { get; init; }

    /// <summary>Wall-clock time of the run.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Whether the time budget stopped the run before every case ran.</summary>
    public required bool BudgetSpent { get; init; }

    /// <summary>The run's seed.</summary>
    public required int Seed { get; init; }

    /// <summary>Crashes + hangs + silent wrong outputs + errors that do not name the file: what a clean run has none of.</summary>
    public int Problems => Targets.Sum(t => t.Counts[Verdict.Crash] + t.Counts[Verdict.Hang] + t.Counts[Verdict.SilentWrong] + t.Counts[Verdict.UnnamedError]);

    /// <summary>The summary as a Markdown table, then the most frequent clean errors and the problems found.</summary>
    public string ToTable()
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"fuzz seed {Seed}: {Targets.Sum(t => t.Cases):N0} cases in {Elapsed.TotalSeconds:F1} s{(BudgetSpent ? " (time budget spent before every case ran)" : "")}");
        sb.AppendLine();
        sb.AppendLine("| target | cases | accepted | clean errors | errors not naming the file | crashes | hangs | silent wrong | accepted, changed (no checksum) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var t in Targets)
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {t.Name} | {t.Cases:N0} | {t.Counts[Verdict.Accepted]:N0} | {t.Counts[Verdict.CleanError]:N0} | {t.Counts[Verdict.UnnamedError]:N0} | {t.Counts[Verdict.Crash]:N0} | {t.Counts[Verdict.Hang]:N0} | {t.Counts[Verdict.SilentWrong]:N0} | {t.Counts[Verdict.AcceptedChanged]:N0} |");
        foreach (var t in Targets.Where(t => t.ErrorKinds.Count > 0))
        {
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"{t.Name}, most frequent clean errors:");
            foreach (var (kind, count) in t.ErrorKinds.OrderByDescending(p => p.Value).Take(4)) sb.AppendLine(CultureInfo.InvariantCulture, $"  {count,6:N0} × {kind}");
        }
        foreach (var t in Targets.Where(t => t.Examples.Count > 0))
        {
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"{t.Name}:");
            foreach (var e in t.Examples) sb.AppendLine("  " + e);
        }
        return sb.ToString();
    }
}

/// <summary>
/// The fuzzing harness: seeded mutations of real files (made here by our own writers) through the same readers the CLI
/// uses — <see cref="ImageFile.Read"/> then <see cref="ImageUpscaler"/>; <see cref="ModelLoader.LoadFile"/> for .srm;
/// <see cref="Safetensors.LoadStateDict(string)"/>; <see cref="PyTorchUnpickler.UnpickleStateDict(string, string?)"/> —
/// each case in its own try with a timeout. In-process: a native crash (SIGSEGV, abort) ends the run itself; the case
/// it was on is written to <c>current-case.txt</c> in the work folder before each case, so it can be replayed.
/// </summary>
public static class Fuzzer
{
    private sealed record ImageBase(string Kind, string Extension, byte[] Bytes, int[] Pixels, long[] Shape);

    /// <summary>Runs the cases <paramref name="options"/> asks for; writes the table to <paramref name="log"/> when given.</summary>
    public static FuzzSummary Run(FuzzOptions options, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var work = options.WorkDirectory ?? Directory.CreateTempSubdirectory("sr-fuzz-").FullName;
        Directory.CreateDirectory(work);
        bool ownsWork = options.WorkDirectory is null;
        var clock = Stopwatch.StartNew();
        bool Spent() => options.Budget is { } b && clock.Elapsed >= b;
        var png = new TargetStats("PNG → decode, upscale");
        var jpeg = new TargetStats("JPEG → decode, upscale");
        var srmBytes = new TargetStats(".srm bytes → load");
        var srmHeader = new TargetStats(".srm header fields → load");
        var safetensors = new TargetStats("safetensors → load");
        var pth = new TargetStats(".pth → load");
        bool spent = false;
        try
        {
            using var noGrad = no_grad();
            manual_seed((ulong)options.Seed);
            var images = ImageBases();
            var methods = new ISuperResolver[] { SuperResolvers.Resolve("bicubic", 2), new NetworkSuperResolver(new Vdsr(2, new VdsrOptions { Depth = 3, Channels = 8 }), "tiny-vdsr", ownsNetwork: true) };
            for (int i = 0; i < options.Images && !(spent = Spent()); i++)
            {
                var rng = new Random(unchecked(options.Seed * 1_000_003 + i));
                var baseImage = images[i % images.Count];
                var partner = images.Where(b => b.Kind == baseImage.Kind).ElementAt(rng.Next(images.Count(b => b.Kind == baseImage.Kind)));
                var (bytes, what) = Mutator.Mutate(baseImage.Bytes, partner.Bytes, rng);
                var path = Path.Combine(work, $"image-{i}{baseImage.Extension}");
                File.WriteAllBytes(path, bytes);
                var method = methods[i % methods.Length];
                var stats = baseImage.Kind == "png" ? png : jpeg;
                RunCase(work, stats, $"image {i} ({baseImage.Kind}, {what})", path, options.CaseTimeout, () => ImageCase(path, baseImage, method));
                TryDelete(path);
            }
            foreach (var m in methods) (m as IDisposable)?.Dispose();

            var models = ModelBases(work);
            for (int i = 0; i < options.Models && !(spent = Spent()); i++)
            {
                var rng = new Random(unchecked(options.Seed * 7_368_787 + i));
                var model = models[i % models.Count];
                int kind = i / models.Count % 5;
                switch (kind)
                {
                    case 0 or 1:
                    {
                        var (bytes, what) = kind == 0 ? Mutator.Mutate(model.Srm, models[(i + 1) % models.Count].Srm, rng) : HeaderMutation(model.Srm, rng);
                        var path = Path.Combine(work, $"model-{i}{ModelFile.Extension}");
                        File.WriteAllBytes(path, bytes);
                        RunCase(work, kind == 0 ? srmBytes : srmHeader, $"model {i} ({model.Name}, {what})", path, options.CaseTimeout, () => SrmCase(path, model));
                        TryDelete(path);
                        break;
                    }
                    case 2 or 3:
                    {
                        var (bytes, what) = kind == 2 ? Mutator.Mutate(model.Safetensors, model.Safetensors, rng) : HeaderMutation(model.Safetensors, rng);
                        var path = Path.Combine(work, $"weights-{i}.safetensors");
                        File.WriteAllBytes(path, bytes);
                        RunCase(work, safetensors, $"safetensors {i} ({model.Name}, {what})", path, options.CaseTimeout, () => StateDictCase(() => Safetensors.LoadStateDict(path), model));
                        TryDelete(path);
                        break;
                    }
                    default:
                    {
                        var (bytes, what) = Mutator.Mutate(model.Pth, model.Pth, rng);
                        var path = Path.Combine(work, $"weights-{i}.pth");
                        File.WriteAllBytes(path, bytes);
                        RunCase(work, pth, $"pth {i} ({model.Name}, {what})", path, options.CaseTimeout, () => StateDictCase(() => PyTorchUnpickler.UnpickleStateDict(path), model));
                        TryDelete(path);
                        break;
                    }
                }
            }
        }
        finally
        {
            if (ownsWork)
                try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        var summary = new FuzzSummary
        {
            Targets = [png, jpeg, srmBytes, srmHeader, safetensors, pth],
            Elapsed = clock.Elapsed,
            BudgetSpent = spent,
            Seed = options.Seed,
        };
        log?.Write(summary.ToTable());
        return summary;
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Runs one case on a worker thread with a timeout and files its verdict.</summary>
    private static void RunCase(string work, TargetStats stats, string name, string path, TimeSpan timeout, Func<(Verdict, string?)> body)
    {
        File.WriteAllText(Path.Combine(work, "current-case.txt"), name + Environment.NewLine);
        var task = Task.Run(() =>
        {
            try
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                return body();
            }
            catch (Exception e) when (e is ImageFormatException or WeightsFormatException or ArgumentException or FileNotFoundException or InvalidDataException)
            {
                // Ours name the file; a library's argument check (libtorch shape errors, a zip reader's) does not.
                if (!e.Message.Contains(path, StringComparison.Ordinal)) return (Verdict.UnnamedError, $"{e.GetType().Name}: {First(e.Message)}");
                lock (stats) stats.AddError(Kind(e.Message.Replace(path, "", StringComparison.Ordinal)));
                return (Verdict.CleanError, null);
            }
            catch (Exception e)
            {
                return (Verdict.Crash, $"{e.GetType().Name}: {First(e.Message)}");
            }
        });
        (Verdict verdict, string? detail) result;
        try
        {
            result = task.Wait(timeout) ? task.Result : (Verdict.Hang, $"still running after {timeout.TotalSeconds:F0} s");
        }
        catch (AggregateException e)
        {
            result = (Verdict.Crash, $"{e.InnerException?.GetType().Name}: {First(e.InnerException?.Message ?? "")}");
        }
        stats.Add(result.verdict, result.detail is null ? null : $"{name}: {result.detail}");
    }

    private static string First(string message) => message.Split('\n')[0];

    /// <summary>A message's kind: up to its first parenthesis or colon after the start, numbers as #, at most 70 characters.</summary>
    private static string Kind(string message)
    {
        var m = First(message).TrimStart(':', ' ');
        int cut = m.IndexOfAny(['(', '\'', '[']);
        if (cut > 10) m = m[..cut];
        m = System.Text.RegularExpressions.Regex.Replace(m, "[0-9][0-9,.]*", "#").Trim();
        return m.Length > 70 ? m[..70] + "…" : m;
    }

    // ---- images ----------------------------------------------------------------------------------------------------

    private static List<ImageBase> ImageBases()
    {
        var list = new List<ImageBase>();
        void Add(string kind, Tensor hwc, int? quality)
        {
            var bytes = ImageFile.Encode(hwc, quality);
            using var decoded = ImageFile.Decode(bytes, "base");
            using var wide = decoded.Pixels.to(ScalarType.Int32);
            list.Add(new ImageBase(kind, kind == "png" ? ".png" : ".jpg", bytes, wide.data<int>(), decoded.Pixels.shape));
        }
        using var scope = NewDisposeScope();
        // Smooth gradients plus noise: realistic enough to exercise the codecs' filters and entropy coding, small enough to be fast.
        Tensor Picture(int h, int w, int c)
        {
            var y = arange(h).to(ScalarType.Float32).view(h, 1, 1) / h;
            var x = arange(w).to(ScalarType.Float32).view(1, w, 1) / w;
            var smooth = (y * 0.6 + x * 0.4).expand(h, w, c);
            return ((smooth * 0.8 + rand(h, w, c) * 0.2) * 255).clamp(0, 255).to(ScalarType.Byte);
        }
        Add("png", Picture(24, 32, 3), null);
        Add("png", Picture(40, 24, 1), null);
        Add("png", Picture(16, 16, 4), null);
        Add("png", (Picture(20, 20, 1).to(ScalarType.Int32) * 257), null); // 16-bit
        Add("jpeg", Picture(32, 32, 3), 90);
        Add("jpeg", Picture(48, 40, 1), 75);
        Add("jpeg", Picture(24, 24, 3), 40);
        return list;
    }

    private static (Verdict, string?) ImageCase(string path, ImageBase original, ISuperResolver method)
    {
        using var image = ImageFile.Read(path);
        if ((long)image.Width * image.Height <= 96 * 96)
        {
            using var up = ImageUpscaler.Upscale(image, method, 2);
            if (up.Pixels.shape[0] != 2L * image.Height || up.Pixels.shape[1] != 2L * image.Width)
                return (Verdict.SilentWrong, $"upscaled to {up.Pixels.shape[1]}×{up.Pixels.shape[0]} from {image.Width}×{image.Height}");
        }
        using var wide = image.Pixels.to(ScalarType.Int32);
        bool same = image.Pixels.shape.SequenceEqual(original.Shape) && wide.data<int>().AsSpan().SequenceEqual(original.Pixels);
        if (same) return (Verdict.Accepted, null);
        return original.Kind == "png"
            ? (Verdict.SilentWrong, $"decoded without error to other pixels ({image.Width}×{image.Height}×{image.Channels}, {image.BitDepth}-bit)")
            : (Verdict.AcceptedChanged, null);
    }

    // ---- models ----------------------------------------------------------------------------------------------------

    private sealed record ModelBase(string Name, int Scale, byte[] Srm, byte[] Safetensors, byte[] Pth, Dictionary<string, float[]> Weights, Dictionary<string, long[]> Shapes, string Type, string Options);

    private static List<ModelBase> ModelBases(string work)
    {
        var list = new List<ModelBase>();
        void Add(string name, int scale, SrNetwork net)
        {
            using (net)
            {
                var srm = Path.Combine(work, $"base-{name}{ModelFile.Extension}");
                var st = Path.Combine(work, $"base-{name}.safetensors");
                var pt = Path.Combine(work, $"base-{name}.pth");
                ModelFile.Save(srm, net, name);
                var dict = net.state_dict();
                Safetensors.SaveStateDict(st, dict);
                PyTorchPickler.PickleStateDict(pt, dict);
                var options = net.GetType().GetProperty("Options")?.GetValue(net);
                list.Add(new ModelBase(name, scale, File.ReadAllBytes(srm), File.ReadAllBytes(st), File.ReadAllBytes(pt),
                    dict.ToDictionary(p => p.Key, p => p.Value.detach().data<float>()), dict.ToDictionary(p => p.Key, p => p.Value.shape),
                    net.GetType().Name, options is null ? "" : System.Text.Json.JsonSerializer.Serialize(options, options.GetType())));
            }
        }
        Add("vdsr", 2, new Vdsr(2, new VdsrOptions { Depth = 3, Channels = 8 }));
        Add("srcnn", 3, new Srcnn(3, new SrcnnOptions { N1 = 8, N2 = 4, F1 = 5, F3 = 3 }));
        Add("rsrnet-sr", 2, new SrNet(2, new RsrNetOptions { Features = 8, DenseUnits = 1 }));
        return list;
    }

    /// <summary>
    /// A mutation of one field of the safetensors header (re-serialised with a correct length): a tensor's dtype, shape or
    /// data offsets, two tensors' names swapped, or a metadata value (scale, options, model, colour space, version, digest).
    /// </summary>
    private static (byte[], string) HeaderMutation(byte[] file, Random rng)
    {
        long n = BinaryPrimitives.ReadInt64LittleEndian(file);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(file, 8, (int)n))!.AsObject();
        var data = file[(8 + (int)n)..];
        var names = header.Select(p => p.Key).Where(k => k != "__metadata__").ToList();
        var meta = header["__metadata__"] as JsonObject;
        string what;
        int choice = rng.Next(meta is null ? 5 : 8);
        var t = names[rng.Next(names.Count)];
        switch (choice)
        {
            case 0:
            {
                string[] dtypes = ["F16", "BF16", "F64", "I32", "I64", "U8", "BOOL", "X"];
                var d = dtypes[rng.Next(dtypes.Length)];
                header[t]!["dtype"] = d;
                what = $"dtype of {t} → {d}";
                break;
            }
            case 1:
            {
                var shape = header[t]!["shape"]!.AsArray();
                long[] values = [0, 1, 2, 3, -1, 1L << 31, 1L << 40, long.MaxValue];
                var v = values[rng.Next(values.Length)];
                if (shape.Count == 0) shape.Add(v); else shape[rng.Next(shape.Count)] = v;
                what = $"a dimension of {t} → {v}";
                break;
            }
            case 2:
            {
                var offsets = header[t]!["data_offsets"]!.AsArray();
                long[] deltas = [-4, 4, 1, -1, 1L << 32, -(1L << 20)];
                int k = rng.Next(2);
                long v = offsets[k]!.GetValue<long>() + deltas[rng.Next(deltas.Length)];
                offsets[k] = v;
                what = $"data_offsets[{k}] of {t} → {v}";
                break;
            }
            case 3:
            {
                var u = names[rng.Next(names.Count)];
                var a = header[t]!.DeepClone();
                header[t] = header[u]!.DeepClone();
                header[u] = a;
                what = $"{t} and {u} swapped";
                break;
            }
            case 4:
            {
                // Data: a float overwritten with a special value (the .srm digest and finiteness checks; nothing in the plain formats).
                float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1e30f, -1e-30f, 0f];
                var f = specials[rng.Next(specials.Length)];
                var offsets = header[t]!["data_offsets"]!.AsArray();
                long begin = offsets[0]!.GetValue<long>(), end = offsets[1]!.GetValue<long>();
                if (end - begin >= 4)
                {
                    long at = begin + 4 * rng.NextInt64((end - begin) / 4);
                    BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan((int)at), f);
                }
                what = $"an element of {t} → {f.ToString(CultureInfo.InvariantCulture)}";
                break;
            }
            default:
            {
                string[] keys = ["scale", "options", "model", "color_space", "format_version", "sha256", "format"];
                var key = keys[rng.Next(keys.Length)];
                string[] values = key switch
                {
                    "scale" => ["0", "3", "4", "-2", "2147483648", "2.5", ""],
                    "options" => ["{\"Channels\": 4096, \"Depth\": 900}", "{\"N1\": -1}", "{\"Features\": 2147483647}", "{\"DenseUnits\": 0}", "{", "[]", "{\"Unknown\": 1}", "{\"Channels\": 16}"],
                    "model" => ["vdsr", "srcnn", "rsrnet", "rsrnet-sr", "rrdbnet", "spsr-g", "nope", ""],
                    "color_space" => ["Rgb", "Y", "Lab", "7"],
                    "format_version" => ["0", "2", "x"],
                    "format" => ["safetensors", ""],
                    _ => [new string('0', 64), ""],
                };
                var v = values[rng.Next(values.Length)];
                if (key == "sha256" && rng.Next(2) == 0)
                {
                    meta!.Remove(key);
                    what = "sha256 removed";
                }
                else
                {
                    meta![key] = v;
                    what = $"{key} → {v}";
                }
                break;
            }
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var result = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteInt64LittleEndian(result, json.Length);
        json.CopyTo(result, 8);
        data.CopyTo(result, 8 + json.Length);
        return (result, what);
    }

    private static (Verdict, string?) SrmCase(string path, ModelBase original)
    {
        using var method = ModelLoader.LoadFile(path, original.Scale);
        var net = method.Network;
        var differences = new List<string>();
        if (net.GetType().Name != original.Type) differences.Add($"network {net.GetType().Name}, not {original.Type}");
        var options = net.GetType().GetProperty("Options")?.GetValue(net);
        var json = options is null ? "" : System.Text.Json.JsonSerializer.Serialize(options, options.GetType());
        if (json != original.Options) differences.Add($"options {json}");
        differences.AddRange(Compare(net.state_dict(), original));
        return differences.Count == 0 ? (Verdict.Accepted, null) : (Verdict.SilentWrong, "loaded, but " + string.Join("; ", differences.Take(3)));
    }

    private static (Verdict, string?) StateDictCase(Func<Dictionary<string, Tensor>> load, ModelBase original)
    {
        var dict = load();
        try
        {
            return Compare(dict, original).Count == 0 ? (Verdict.Accepted, null) : (Verdict.AcceptedChanged, null);
        }
        finally
        {
            foreach (var t in dict.Values) t.Dispose();
        }
    }

    private static List<string> Compare(IReadOnlyDictionary<string, Tensor> weights, ModelBase original)
    {
        var diffs = new List<string>();
        if (!weights.Keys.Order().SequenceEqual(original.Weights.Keys.Order())) diffs.Add("other tensor names");
        foreach (var (name, t) in weights)
        {
            if (!original.Weights.TryGetValue(name, out var values)) continue;
            if (!t.shape.SequenceEqual(original.Shapes[name])) { diffs.Add($"{name} has shape [{string.Join(", ", t.shape)}]"); continue; }
            if (t.dtype != ScalarType.Float32) { diffs.Add($"{name} is {t.dtype}"); continue; }
            var got = t.detach().data<float>();
            // Bitwise: NaN ≠ NaN would be "equal" under a tolerance test, and a single flipped bit is the point.
            if (!System.Runtime.InteropServices.MemoryMarshal.AsBytes(got.AsSpan()).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())))
                diffs.Add($"{name} has other values");
        }
        return diffs;
    }
}
