using System.IO.Compression;
using System.Text.Json;
using Sr.Torch.Serialization;
using static Sr.Torch.torch;

namespace Sr.Torch.Tests;

/// <summary>Import of state dicts written by PyTorch's torch.save (fixtures from scripts/make_pt_fixture.py, PyTorch 1.13).</summary>
public class PyTorchImportTests
{
    /// <summary>The module of make_pt_fixture.py, in C#: same field names, so the same state-dict keys.</summary>
    private sealed class Tiny : nn.Module<Tensor, Tensor>
    {
        public readonly nn.Conv2d conv = new(3, 4, 3, padding: 1);
        public readonly nn.BatchNorm2d bn = new(4);
        public readonly nn.Linear fc = new(8, 5);
        public readonly Tensor table = zeros(2, 3);
        public readonly Tensor transposed = zeros(6, 4);
        public readonly Tensor window = zeros(2, 3);
        public readonly Tensor f64 = zeros([3], ScalarType.Float64);
        public readonly Tensor i64 = zeros([4], ScalarType.Int64);
        public readonly Tensor f16 = zeros([3], ScalarType.Float16);
        public readonly Tensor u8 = zeros([2, 2], ScalarType.Byte);
        public readonly Tensor flags = zeros([3], ScalarType.Bool);

        public Tiny() : base(nameof(Tiny)) => RegisterComponents();

        public override Tensor forward(Tensor input) => conv.call(input);
    }

    private static ScalarType DtypeOf(string python) => python switch
    {
        "float32" => ScalarType.Float32,
        "float64" => ScalarType.Float64,
        "float16" => ScalarType.Float16,
        "int64" => ScalarType.Int64,
        "uint8" => ScalarType.Byte,
        "bool" => ScalarType.Bool,
        _ => throw new ArgumentException(python),
    };

    private static double[] Values(Tensor t)
    {
        using var d = t.to(ScalarType.Float64);
        return d.data<double>();
    }

    private static void AssertMatchesDescription(IReadOnlyDictionary<string, Tensor> sd, JsonElement expected, double scale = 1)
    {
        Assert.Equal(expected.EnumerateObject().Select(p => p.Name).Order(), sd.Keys.Order());
        foreach (var p in expected.EnumerateObject())
        {
            var t = sd[p.Name];
            Assert.Equal(DtypeOf(p.Value.GetProperty("dtype").GetString()!), t.dtype);
            Assert.Equal(p.Value.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()), t.shape);
            var v = Values(t);
            double s = scale * p.Value.GetProperty("sum").GetDouble();
            Assert.True(Math.Abs(v.Sum() - s) <= 1e-9 * Math.Max(1, Math.Abs(s)), $"{p.Name}: sum {v.Sum()} != {s}");
            var first = p.Value.GetProperty("first").EnumerateArray().Select(x => scale * x.GetDouble()).ToArray();
            Assert.Equal(first, v.Take(first.Length).ToArray());
        }
    }

    [Fact]
    public void Torch_save_state_dict_imports_with_pytorchs_names_dtypes_shapes_and_values()
    {
        var expected = Fixtures.Json("tiny_state_dict.json").GetProperty("state_dict");
        var sd = PyTorchUnpickler.UnpickleStateDict(Fixtures.Path("tiny_state_dict.pt"));
        try
        {
            Assert.Equal(17, sd.Count); // conv 2 + bn 5 + fc 2 + 8 buffers
            AssertMatchesDescription(sd, expected);
            Assert.Equal(new long[] { -3, 0, 7, 1L << 40 }, sd["i64"].data<long>());
            Assert.Equal(new[] { true, false, true }, sd["flags"].data<bool>());
            Assert.Equal(new byte[] { 0, 255, 17, 3 }, sd["u8"].data<byte>());
            Assert.Equal(42L, sd["bn.num_batches_tracked"].item<long>());
            Assert.Empty(sd["bn.num_batches_tracked"].shape);
        }
        finally
        {
            foreach (var t in sd.Values) t.Dispose();
        }
    }

    [Fact]
    public void The_legacy_non_zip_format_imports_the_same_tensors_as_the_zip_format()
    {
        // make_pt_fixture.py saves one state dict twice: zip (PyTorch >= 1.6) and legacy (_use_new_zipfile_serialization=False,
        // the format of PyTorch 0.4-1.5, in which e.g. LPIPS's published lin weights were saved).
        var zip = PyTorchUnpickler.UnpickleStateDict(Fixtures.Path("tiny_state_dict.pt"));
        var legacy = PyTorchUnpickler.UnpickleStateDict(Fixtures.Path("tiny_state_dict_legacy.pt"));
        try
        {
            AssertMatchesDescription(legacy, Fixtures.Json("tiny_state_dict.json").GetProperty("state_dict"));
            Assert.Equal(zip.Keys, legacy.Keys);
            foreach (var (k, t) in zip)
            {
                Assert.Equal(t.dtype, legacy[k].dtype);
                Assert.Equal(t.shape, legacy[k].shape);
                using var a = t.to(ScalarType.Float64);
                using var b = legacy[k].to(ScalarType.Float64);
                Assert.Equal(a.data<double>().ToArray(), b.data<double>().ToArray());
            }
        }
        finally
        {
            foreach (var t in zip.Values.Concat(legacy.Values)) t.Dispose();
        }
    }

    [Fact]
    public void A_cut_legacy_file_fails_naming_the_file_and_where_it_ends()
    {
        using var dir = Fixtures.NewTempDir();
        var full = File.ReadAllBytes(Fixtures.Path("tiny_state_dict_legacy.pt"));
        foreach (int keep in new[] { 20, full.Length / 2, full.Length - 10 })
        {
            var path = dir.File($"cut{keep}.pt");
            File.WriteAllBytes(path, full[..keep]);
            var e = Assert.Throws<WeightsFormatException>(() => PyTorchUnpickler.UnpickleStateDict(path));
            Assert.StartsWith(path + ": ", e.Message);
            Assert.True(e.Message.Contains("truncated", StringComparison.Ordinal) || e.Message.Contains("ends early", StringComparison.Ordinal), e.Message);
        }
    }

    [Fact]
    public void Views_of_one_shared_storage_keep_their_offsets_and_strides()
    {
        // In make_pt_fixture.py: transposed = base.t() (strides 1,6) and window = base[1:3, 2:5] (offset 8), one storage.
        var sd = PyTorchUnpickler.UnpickleStateDict(Fixtures.Path("tiny_state_dict.pt"));
        try
        {
            var transposed = sd["transposed"].data<float>(); // 6×4, transposed[c, r] = base[r, c]
            var window = sd["window"].data<float>();         // 2×3, window[i, j] = base[1 + i, 2 + j]
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 3; j++)
                    Assert.Equal(transposed[(2 + j) * 4 + (1 + i)], window[i * 3 + j]);
            Assert.True(sd["transposed"].is_contiguous());
        }
        finally
        {
            foreach (var t in sd.Values) t.Dispose();
        }
    }

    [Fact]
    public void A_csharp_module_with_the_same_fields_loads_the_pt_file_strictly_and_computes_what_pytorch_computed()
    {
        var json = Fixtures.Json("tiny_state_dict.json");
        using var m = new Tiny().load_py(Fixtures.Path("tiny_state_dict.pt"));
        using (var x = ones(1, 3, 5, 5))
        using (var y = m.call(x))
            Assert.Equal(json.GetProperty("conv_of_ones_sum").GetDouble(), Values(y).Sum(), 4);
        using (var x = arange(0, 8, 1, ScalarType.Float32).reshape(1, 8))
        using (var y = m.fc.call(x))
        {
            var expected = json.GetProperty("fc_of_arange").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var actual = Values(y);
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 5);
        }
        Assert.Equal(42L, m.bn.num_batches_tracked.item<long>());
    }

    [Fact]
    public void A_checkpoint_dict_yields_params_ema_by_default_and_any_entry_by_key()
    {
        var json = Fixtures.Json("tiny_state_dict.json");
        var path = Fixtures.Path("tiny_checkpoint.pth");
        var ema = PyTorchUnpickler.UnpickleStateDict(path);
        var plain = PyTorchUnpickler.UnpickleStateDict(path, key: "params");
        try
        {
            Assert.Equal(json.GetProperty("params_ema_sum_conv_weight").GetDouble(), Values(ema["conv.weight"]).Sum(), 9);
            AssertMatchesDescription(plain, json.GetProperty("state_dict"));
        }
        finally
        {
            foreach (var t in ema.Values.Concat(plain.Values)) t.Dispose();
        }
        var e = Assert.Throws<WeightsFormatException>(() => PyTorchUnpickler.UnpickleStateDict(path, key: "optimizer"));
        Assert.Contains(path, e.Message);
        Assert.Contains("no entry 'optimizer'", e.Message);
        Assert.Contains("params_ema", e.Message);
        e = Assert.Throws<WeightsFormatException>(() => PyTorchUnpickler.UnpickleStateDict(path, key: "iter"));
        Assert.Contains("not a state dict", e.Message);
    }

    [Fact]
    public void A_whole_pickled_module_is_refused_naming_its_class_and_the_file()
    {
        var path = Fixtures.Path("tiny_whole_module.pt");
        var e = Assert.Throws<WeightsFormatException>(() => PyTorchUnpickler.UnpickleStateDict(path));
        Assert.StartsWith($"refusing to unpickle torch.nn.modules.linear.Linear in {path}: only state dicts of tensors are supported", e.Message);
        Assert.Contains("model.state_dict()", e.Message);
    }

    private static byte[] Zip(params (string name, byte[] data)[] entries)
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, data) in entries)
            {
                using var s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
                s.Write(data);
            }
        return ms.ToArray();
    }

    [Fact]
    public void A_pickle_calling_any_other_global_is_refused_before_anything_runs()
    {
        // PROTO 2; GLOBAL 'posix system'; BINUNICODE 'touch pwned'; TUPLE1; REDUCE; STOP — what `os.system('touch pwned')` pickles to.
        byte[] pkl = [0x80, 2, (byte)'c', .."posix\nsystem\n"u8, (byte)'X', 11, 0, 0, 0, .."touch pwned"u8, 0x85, (byte)'R', (byte)'.'];
        using var dir = Fixtures.NewTempDir();
        var path = dir.File("evil.pt");
        File.WriteAllBytes(path, Zip(("evil/data.pkl", pkl), ("evil/version", "3\n"u8.ToArray())));
        var e = Assert.Throws<WeightsFormatException>(() => PyTorchUnpickler.UnpickleStateDict(path));
        Assert.Equal($"refusing to unpickle posix.system in {path}: only state dicts of tensors are supported", e.Message);
        Assert.False(File.Exists("pwned"));

        // The same through protocol 4's STACK_GLOBAL (strings on the stack).
        byte[] pkl4 = [0x80, 4, 0x8c, 8, .."builtins"u8, 0x8c, 4, .."eval"u8, 0x93, (byte)'.'];
        File.WriteAllBytes(path, Zip(("evil/data.pkl", pkl4)));
        Assert.Contains("refusing to unpickle builtins.eval", Assert.Throws<WeightsFormatException>(() => PyTorchUnpickler.UnpickleStateDict(path)).Message);
    }

    [Fact]
    public void Foreign_truncated_empty_and_non_zip_files_give_clear_errors_naming_the_file()
    {
        using var dir = Fixtures.NewTempDir();
        void Expect(string name, byte[] content, string problem)
        {
            var path = dir.File(name);
            File.WriteAllBytes(path, content);
            var e = Assert.Throws<WeightsFormatException>(() => PyTorchUnpickler.UnpickleStateDict(path));
            Assert.StartsWith(path + ": ", e.Message);
            Assert.Contains(problem, e.Message);
        }

        Expect("foreign.pt", Zip(("docs/readme.txt", "hello"u8.ToArray())), "not a PyTorch checkpoint: it has no <archive>/data.pkl entry");
        var full = File.ReadAllBytes(Fixtures.Path("tiny_state_dict.pt"));
        Expect("truncated.pt", full[..(full.Length / 2)], "truncated or corrupt");
        Expect("empty.pt", [], "is empty");
        Expect("text.pt", "just some text"u8.ToArray(), "not a zip archive");
        Expect("legacy.pt", [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19], "legacy (non-zip) PyTorch file whose magic number is cut short");
        // A data.pkl cut short: the unpickler reports where, instead of reading past the end.
        var pkl = ReadEntry(full, "tiny_state_dict/data.pkl");
        Expect("cut.pt", Zip(("tiny_state_dict/data.pkl", pkl[..200])), "malformed pickle");
        Assert.Throws<WeightsFormatException>(() => PyTorchUnpickler.UnpickleStateDict(dir.File("missing.pt")));
    }

    private static byte[] ReadEntry(byte[] zipBytes, string name)
    {
        using var zip = new ZipArchive(new MemoryStream(zipBytes));
        using var s = zip.GetEntry(name)!.Open();
        var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    [Fact]
    public void Load_py_names_missing_and_unexpected_keys_and_can_skip_entries()
    {
        var path = Fixtures.Path("tiny_state_dict.pt");
        using var linear = new nn.Linear(8, 5);
        var e = Assert.Throws<WeightsFormatException>(() => linear.load_py(path));
        Assert.StartsWith(path + ": does not match Linear", e.Message);
        Assert.Contains("missing key(s) weight, bias", e.Message);
        Assert.Contains("unexpected key(s) table", e.Message);

        using var m = new Tiny();
        using (no_grad()) m.table.fill_(-1);
        m.load_py(path, strict: true, skip: ["table"]);
        Assert.All(m.table.data<float>(), v => Assert.Equal(-1f, v));
    }
}
