using System.Buffers.Binary;
using System.Text;
using Sr.Torch.Serialization;
using static Sr.Torch.torch;

namespace Sr.Torch.Tests;

public class SafetensorsTests
{
    private sealed class Net : nn.Module<Tensor, Tensor>
    {
        public readonly nn.Conv2d head = new(3, 8, 3, padding: 1);
        public readonly nn.BatchNorm2d norm = new(8);
        public readonly nn.Sequential body = new(new nn.Conv2d(8, 8, 3, padding: 1), nn.ReLU(), new nn.Conv2d(8, 3, 1, bias: false));

        public Net() : base(nameof(Net)) => RegisterComponents();

        public override Tensor forward(Tensor input) => body.call(norm.call(head.call(input)));
    }

    /// <summary>The raw bytes of a tensor: what "bit-exact" compares (NaN payloads and -0.0 included).</summary>
    private static byte[] Bytes(Tensor t)
    {
        var ms = new MemoryStream();
        RawTensors.WriteTensor(ms, t);
        return ms.ToArray();
    }

    private static Dictionary<string, Tensor> EveryDtype()
    {
        float[] specials = [0f, -0f, float.NaN, BitConverter.Int32BitsToSingle(0x7fc12345), float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, 1e-40f, 3.4e38f, 1f / 3];
        using var f = tensor(specials, [2, 5]);
        return new()
        {
            ["f32"] = f.clone(),
            ["f64"] = tensor(new[] { Math.PI, -0.0, double.NaN, double.Epsilon, 1e300 }),
            ["f16"] = f.to(ScalarType.Float16),
            ["bf16"] = f.to(ScalarType.BFloat16),
            ["i64"] = tensor(new[] { long.MinValue, -1L, 0L, long.MaxValue }),
            ["i32"] = tensor(new[] { int.MinValue, 7, int.MaxValue }),
            ["i16"] = tensor(new short[] { short.MinValue, -2, short.MaxValue }),
            ["i8"] = tensor(new sbyte[] { sbyte.MinValue, 0, sbyte.MaxValue }),
            ["u8"] = tensor(new byte[] { 0, 128, 255, 1, 2, 3 }, [2, 1, 3]),
            ["bool"] = tensor(new[] { true, false, false, true }),
            ["scalar"] = scalar_tensor(2.5),
            ["empty"] = zeros([0, 3]),
            ["noncontig"] = f.t(),
        };
    }

    [Fact]
    public void Every_dtype_round_trips_bit_exactly_with_shapes_names_order_and_metadata()
    {
        var sd = EveryDtype();
        using var dir = Fixtures.NewTempDir();
        var path = dir.File("all.safetensors");
        Safetensors.SaveStateDict(path, sd, new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode" });
        var back = Safetensors.LoadStateDict(path);
        try
        {
            Assert.Equal(sd.Keys, back.Keys);
            foreach (var (k, t) in sd)
            {
                Assert.Equal(t.dtype, back[k].dtype);
                Assert.Equal(t.shape, back[k].shape);
                Assert.Equal(Bytes(t), Bytes(back[k]));
            }
            var header = Safetensors.ReadHeader(path);
            Assert.Equal("ünïcode", header.Metadata["note"]);
            Assert.Equal(0, header.HeaderBytes % 8); // data buffer 8-byte aligned, as the reference writer does
            Assert.Equal("BF16", header.Tensors.Single(e => e.Name == "bf16").Dtype);
            Assert.Equal(new FileInfo(path).Length, 8 + header.HeaderBytes + header.Tensors.Max(e => e.End));
        }
        finally
        {
            foreach (var t in sd.Values.Concat(back.Values)) t.Dispose();
        }
    }

    [Fact]
    public void A_file_written_by_python_reads_like_the_pt_file_pytorch_wrote()
    {
        var header = Safetensors.ReadHeader(Fixtures.Path("tiny_python.safetensors"));
        Assert.Equal("make_pt_fixture.py", header.Metadata["made_by"]);
        var st = Safetensors.LoadStateDict(Fixtures.Path("tiny_python.safetensors"));
        var pt = PyTorchUnpickler.UnpickleStateDict(Fixtures.Path("tiny_state_dict.pt"));
        try
        {
            Assert.Equal(pt.Keys, st.Keys);
            foreach (var (k, t) in pt)
            {
                Assert.Equal(t.dtype, st[k].dtype);
                Assert.Equal(t.shape, st[k].shape);
                Assert.Equal(Bytes(t), Bytes(st[k]));
            }
        }
        finally
        {
            foreach (var t in st.Values.Concat(pt.Values)) t.Dispose();
        }
    }

    [Fact]
    public void Module_save_and_load_safetensors_restores_every_parameter_and_buffer_and_leaves_no_temp_file()
    {
        using var dir = Fixtures.NewTempDir();
        var path = dir.File("net.safetensors");
        manual_seed(1);
        using var a = new Net();
        using (no_grad())
        {
            a.norm.running_mean.uniform_(-1, 1);
            a.norm.num_batches_tracked.fill_(17);
        }
        a.save_safetensors(path);
        a.save_safetensors(path); // overwriting an existing file goes through the same temp + rename
        Assert.Equal(["net.safetensors"], Directory.GetFiles(dir.Dir).Select(Path.GetFileName));

        manual_seed(2);
        using var b = new Net().load_safetensors(path);
        foreach (var (k, t) in a.state_dict()) Assert.Equal(Bytes(t), Bytes(b.state_dict()[k]));
        using var x = rand(1, 3, 6, 6);
        using var ya = a.eval().As<Net>().call(x);
        using var yb = b.eval().As<Net>().call(x);
        Assert.Equal(Bytes(ya), Bytes(yb));
    }

    [Fact]
    public void Loading_into_a_different_module_names_the_file_and_the_keys_and_shapes()
    {
        using var dir = Fixtures.NewTempDir();
        var path = dir.File("net.safetensors");
        using var net = new Net();
        net.save_safetensors(path);

        using var small = new nn.Conv2d(3, 8, 3);
        var e = Assert.Throws<WeightsFormatException>(() => small.load_safetensors(path));
        Assert.StartsWith(path + ": does not match Conv2d: missing key(s) weight, bias", e.Message);
        Assert.Contains("unexpected key(s) head.weight", e.Message);

        Safetensors.SaveStateDict(path, new Dictionary<string, Tensor> { ["weight"] = net.head.weight! });
        using var other = new nn.Conv2d(3, 4, 3);
        e = Assert.Throws<WeightsFormatException>(() => other.load_safetensors(path, strict: false));
        Assert.Contains("'weight' has shape [8, 3, 3, 3] in the file and [4, 3, 3, 3] in the module", e.Message);
    }

    // ---- malformed files ------------------------------------------------------------------------------------------
    private static byte[] File8(string json, int dataBytes, long? claimed = null)
    {
        var h = Encoding.UTF8.GetBytes(json);
        var b = new byte[8 + h.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(b, (ulong)(claimed ?? h.Length));
        h.CopyTo(b, 8);
        return b;
    }

    private static string ExpectError(byte[] content, string problem)
    {
        using var dir = Fixtures.NewTempDir();
        var path = dir.File("bad.safetensors");
        File.WriteAllBytes(path, content);
        var e = Assert.Throws<WeightsFormatException>(() => Safetensors.LoadStateDict(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(problem, e.Message);
        return e.Message;
    }

    [Fact]
    public void Truncated_files_are_refused_naming_the_file()
    {
        var full = File.ReadAllBytes(Fixtures.Path("tiny_python.safetensors"));
        ExpectError(full[..^10], "is truncated: its tensors need");
        ExpectError(full[..100], "is truncated or not a safetensors file: the header claims");
        ExpectError(full[..5], "shorter than the 8-byte header length field");
        ExpectError([], "0 byte(s)");
    }

    [Fact]
    public void Foreign_files_and_bad_headers_are_refused_naming_the_problem()
    {
        ExpectError(File.ReadAllBytes(Fixtures.Path("rgb16.png")), "is not a safetensors file: the header length field reads");
        ExpectError(File.ReadAllBytes(Fixtures.Path("tiny_state_dict.pt")), "is not a safetensors file");
        ExpectError(File8("[1, 2, 3, 4]", 0), "does not start with '{'");
        ExpectError(File8("{\"a\": {\"dtype\": \"F32\",", 0), "not valid JSON");
        ExpectError(File8("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", 12),
            "tensor 'b' (bytes 4..12) overlaps 'a' (bytes 0..8)");
        ExpectError(File8("{\"a\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}}", 8), "needs 12 bytes but its data_offsets [0, 8] span 8");
        ExpectError(File8("{\"a\": {\"dtype\": \"U16\", \"shape\": [1], \"data_offsets\": [0, 2]}}", 2), "dtype U16, which Sr.Torch cannot hold");
        ExpectError(File8("{\"a\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", 4), "non-negative integers");
        ExpectError(File8("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 8), "bytes 0..4 of the data buffer belong to no tensor");
        ExpectError(File8("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 12), "8 byte(s) after the last tensor belong to no tensor");
        ExpectError(File8("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 4), "lists 'a' twice");
        ExpectError(File8("{\"__metadata__\": {\"n\": 3}}", 0), "metadata 'n' that is not a string");
        ExpectError(File8("{}", 0, claimed: 1L << 40), "outside 2..100,000,000");
    }

    [Fact]
    public void A_non_seekable_stream_reads_like_a_file()
    {
        var bytes = File.ReadAllBytes(Fixtures.Path("tiny_python.safetensors"));
        using var pipe = new NonSeekable(new MemoryStream(bytes));
        var sd = Safetensors.LoadStateDict(pipe, "pipe");
        try
        {
            Assert.Equal(17, sd.Count); // conv 2 + bn 5 + fc 2 + 8 buffers
        }
        finally
        {
            foreach (var t in sd.Values) t.Dispose();
        }
        var e = Assert.Throws<WeightsFormatException>(() => Safetensors.LoadStateDict(new NonSeekable(new MemoryStream(bytes[..^3])), "pipe"));
        Assert.StartsWith("pipe: is truncated: the data of tensor", e.Message);
    }

    private sealed class NonSeekable(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 7));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public void A_header_with_invalid_utf8_inside_a_string_is_a_format_error_naming_the_file()
    {
        // Found by tests/Sr.Fuzz: JsonDocument parses it and throws InvalidOperationException only when the string is read.
        var json = Encoding.UTF8.GetBytes("{\"__metadata__\":{\"format\":\"xx\"}}");
        int at = Array.IndexOf(json, (byte)'x');
        json[at] = 0xC3; // a lead byte without its continuation
        var bytes = new byte[8 + json.Length];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, json.Length);
        json.CopyTo(bytes, 8);
        var path = Path.Combine(Path.GetTempPath(), $"utf8-{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, bytes);
        try
        {
            var e = Assert.Throws<WeightsFormatException>(() => Safetensors.ReadHeader(path));
            Assert.Equal($"{path}: has a header that is not valid UTF-8 text", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

internal static class ModuleCast
{
    public static T As<T>(this nn.Module m) where T : nn.Module => (T)m;
}
