using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Sr.Models.Networks;
using Sr.Models.Registry;
using Sr.Models.Training;
using Sr.Torch;
using Sr.Torch.Serialization;

namespace Sr.Models.Tests;

/// <summary>
/// Issue #19: hostile or damaged .srm files are refused before any network is built, with a message naming the file and
/// the problem. Each file is a real one (a small VDSR saved by <see cref="ModelFile.Save"/>) rewritten byte by byte.
/// </summary>
public class ModelFileHostileTests
{
    /// <summary>The safetensors layout: 8-byte little-endian header length, the JSON header, the data buffer.</summary>
    private sealed record Raw(JsonObject Header, byte[] Data)
    {
        public JsonObject Meta => Header["__metadata__"]!.AsObject();

        public static Raw Read(string path)
        {
            var bytes = File.ReadAllBytes(path);
            long n = BinaryPrimitives.ReadInt64LittleEndian(bytes);
            var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, (int)n))!.AsObject();
            return new Raw(header, bytes[(8 + (int)n)..]);
        }

        public string Write(string path)
        {
            var json = Encoding.UTF8.GetBytes(Header.ToJsonString());
            var bytes = new byte[8 + json.Length + Data.Length];
            BinaryPrimitives.WriteInt64LittleEndian(bytes, json.Length);
            json.CopyTo(bytes, 8);
            Data.CopyTo(bytes, 8 + json.Length);
            File.WriteAllBytes(path, bytes);
            return path;
        }

        /// <summary>Byte offset in <see cref="Data"/> of tensor <paramref name="name"/>'s first element.</summary>
        public int Offset(string name) => Header[name]!["data_offsets"]![0]!.GetValue<int>();
    }

    private static string Saved(out string dir)
    {
        dir = TrainingFixtures.TempDir();
        var path = Path.Combine(dir, "vdsr-x2" + ModelFile.Extension);
        using var net = new Vdsr(2, new VdsrOptions { Depth = 3, Channels = 8 });
        ModelFile.Save(path, net, "vdsr");
        return path;
    }

    private static string WithOptions(string json)
    {
        var raw = Raw.Read(Saved(out var dir));
        raw.Meta["options"] = json;
        return raw.Write(Path.Combine(dir, "hostile" + ModelFile.Extension));
    }

    private static WeightsFormatException Refused(string path)
    {
        var e = Assert.Throws<WeightsFormatException>(() => ModelFile.Read(path).Dispose());
        Assert.Equal(path, e.Path);
        Assert.Contains(path, e.Message);
        return e;
    }

    [Fact]
    public void The_untouched_file_loads_and_rebuilds()
    {
        using var file = ModelFile.Read(Saved(out _));
        using var net = file.CreateNetwork(ModelRegistry.Get("vdsr"));
        Assert.Equal(2, net.Scale);
    }

    [Fact]
    public void Options_describing_a_14_GB_network_are_refused_by_the_budget_before_any_network_is_built()
    {
        // 4096 channels × 1000 layers: 4096²·9·998·4 bytes ≈ 603 GB. Read must answer without allocating it.
        var path = WithOptions("""{"Depth": 1000, "Channels": 4096}""");
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var e = Refused(path);
        Assert.Contains("over the budget of 1,024 MiB", e.Message);
        Assert.Contains("refused before building it", e.Message);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 50_000_000);
    }

    [Fact]
    public void Options_asking_for_40_GB_are_refused_with_our_message_naming_the_file()
    {
        // 4096² · 9 · 68 · 4 bytes ≈ 41 GB of weights.
        var e = Refused(WithOptions("""{"Depth": 70, "Channels": 4096}"""));
        Assert.Contains("options for model 'vdsr' ×2 describe a network of 10,268,012,545 parameters", e.Message);
        Assert.DoesNotContain("alloc_cpu", e.Message);
    }

    [Fact]
    public void An_int_overflowing_size_is_refused_as_out_of_range()
    {
        Assert.Contains("option 'Channels' of model 'vdsr' is 2147483647, outside the range 1..4096", Refused(WithOptions("""{"Channels": 2147483647}""")).Message);
        Assert.Contains("option 'Channels' of model 'vdsr' is 3000000000, outside the range 1..4096", Refused(WithOptions("""{"Channels": 3000000000}""")).Message);
        Assert.Contains("must be a whole number in 1..4096, got 1E+300", Refused(WithOptions("""{"Channels": 1e300}""")).Message);
    }

    [Fact]
    public void Negative_and_zero_counts_get_our_message_not_libtorchs()
    {
        Assert.Contains("option 'Channels' of model 'vdsr' must be positive (1..4096), got -3", Refused(WithOptions("""{"Channels": -3}""")).Message);
        Assert.Contains("option 'Depth' of model 'vdsr' is 1, outside the range 2..1024", Refused(WithOptions("""{"Depth": 1}""")).Message);
        Assert.Contains("option 'Channels' of model 'vdsr' must be positive (1..4096), got 0", Refused(WithOptions("""{"Channels": 0}""")).Message);
    }

    [Fact]
    public void Bad_JSON_options_name_the_file()
    {
        Assert.Contains("options are not valid JSON", Refused(WithOptions("""{"Channels": 8,""")).Message);
        Assert.Contains("options are not a JSON object", Refused(WithOptions("[1, 2]")).Message);
        var unknown = Refused(WithOptions("""{"Depth": 3, "Chanels": 8}"""));
        Assert.Contains("Invalid options for model 'vdsr'", unknown.Message);
        Assert.Contains("Known options: Depth, Channels", unknown.Message);
        Assert.Contains("must be a whole number in 1..4096, got \"wide\"", Refused(WithOptions("""{"Channels": "wide"}""")).Message);
    }

    [Fact]
    public void Options_within_budget_that_do_not_match_the_stored_tensors_are_refused_before_building()
    {
        // 512 channels × 3 layers would be 2,369,537 parameters; the file holds the 8-channel network's 737.
        var e = Refused(WithOptions("""{"Depth": 3, "Channels": 512}"""));
        Assert.Contains("its options describe a 'vdsr' ×2 network of 2,369,537 parameters, but it stores 737", e.Message);
    }

    [Theory]
    [InlineData(float.NaN, "1 non-finite value(s) (1 NaN")]
    [InlineData(float.PositiveInfinity, "1 non-finite value(s) (0 NaN")]
    [InlineData(float.NegativeInfinity, "1 non-finite value(s) (0 NaN")]
    public void A_non_finite_weight_is_refused_naming_the_tensor(float value, string expected)
    {
        var raw = Raw.Read(Saved(out var dir));
        BinaryPrimitives.WriteSingleLittleEndian(raw.Data.AsSpan(raw.Offset("layers.1.weight") + 4 * 5), value);
        var e = Refused(raw.Write(Path.Combine(dir, "nonfinite" + ModelFile.Extension)));
        Assert.Contains("tensor 'layers.1.weight' holds " + expected, e.Message);
    }

    [Fact]
    public void An_exponent_bit_flip_is_caught_by_the_digest()
    {
        var raw = Raw.Read(Saved(out var dir));
        int at = raw.Offset("layers.1.weight") + 4 * 7;
        float before = BinaryPrimitives.ReadSingleLittleEndian(raw.Data.AsSpan(at));
        raw.Data[at + 3] ^= 0x20; // bit 29: an exponent bit; the weight stays finite
        float after = BinaryPrimitives.ReadSingleLittleEndian(raw.Data.AsSpan(at));
        Assert.True(float.IsFinite(after) && after != before);
        var e = Refused(raw.Write(Path.Combine(dir, "flipped" + ModelFile.Extension)));
        Assert.Contains("does not match the SHA-256 stored in it (sha256, over its weights, model, scale, colour space and options): the file was altered", e.Message);
    }

    [Fact]
    public void A_file_without_a_digest_still_loads_but_its_weights_are_still_checked_for_finiteness()
    {
        var raw = Raw.Read(Saved(out var dir));
        raw.Meta.Remove(ModelFile.DigestKey);
        using (var file = ModelFile.Read(raw.Write(Path.Combine(dir, "old" + ModelFile.Extension)))) Assert.Equal("vdsr", file.ModelName);
        BinaryPrimitives.WriteSingleLittleEndian(raw.Data.AsSpan(raw.Offset("layers.0.bias")), float.NaN);
        Assert.Contains("tensor 'layers.0.bias' holds 1 non-finite", Refused(raw.Write(Path.Combine(dir, "old-nan" + ModelFile.Extension))).Message);
    }

    [Fact]
    public void An_int32_tensor_where_float32_belongs_is_refused_naming_it()
    {
        var raw = Raw.Read(Saved(out var dir));
        raw.Header["layers.2.weight"]!["dtype"] = "I32"; // same size: the layout stays consistent
        var e = Refused(raw.Write(Path.Combine(dir, "int32" + ModelFile.Extension)));
        Assert.Contains("tensor 'layers.2.weight' is stored as I32, where float32 (F32) belongs", e.Message);
    }

    [Fact]
    public void An_edited_scale_that_would_load_is_caught_by_the_digest()
    {
        // VDSR's weights do not depend on the scale: without the digest a ×2 file edited to ×3 loads and upscales ×3.
        var raw = Raw.Read(Saved(out var dir));
        raw.Meta["scale"] = "3";
        Assert.Contains("does not match the SHA-256 stored in it", Refused(raw.Write(Path.Combine(dir, "rescaled" + ModelFile.Extension))).Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("99")]
    [InlineData("two")]
    public void An_invalid_scale_is_refused(string scale)
    {
        var raw = Raw.Read(Saved(out var dir));
        raw.Meta["scale"] = scale;
        Assert.Contains($"invalid scale '{scale}'", Refused(raw.Write(Path.Combine(dir, "scale" + ModelFile.Extension))).Message);
    }

    [Fact]
    public void The_estimate_is_exact_for_every_network_with_a_formula_and_a_lower_bound_for_rrdb_ones()
    {
        var variants = new Dictionary<string, JsonObject?[]>
        {
            ["vdsr"] = [null, new JsonObject { ["Depth"] = 4, ["Channels"] = 16 }],
            ["srcnn"] = [null, new JsonObject { ["F1"] = 5, ["F2"] = 3, ["N1"] = 16, ["N2"] = 8 }],
            ["glrl"] = [null, new JsonObject { ["Channels"] = 16, ["Blocks"] = 2 }],
            ["rsrnet"] = [null, new JsonObject { ["Features"] = 16, ["DenseUnits"] = 2 }],
            ["rsrnet-sr"] = [null, new JsonObject { ["Features"] = 16, ["DenseUnits"] = 4 }],
            ["btsrn"] = [new JsonObject { ["Channels"] = 16, ["Bottleneck"] = 8 }, new JsonObject { ["Channels"] = 8, ["Bottleneck"] = 4, ["LrBlocks"] = 1, ["HrBlocks"] = 0 }],
            ["lsp"] = [null, new JsonObject { ["Features"] = 8, ["ShepardKernel"] = 3 }],
            ["lsp-hsp"] = [null],
            ["rrdbnet"] = [new JsonObject { ["nf"] = 8, ["nb"] = 2, ["gc"] = 4 }],
            ["spsr-g"] = [new JsonObject { ["nf"] = 8, ["nb"] = 1, ["gc"] = 4 }],
        };
        foreach (var (name, list) in variants)
        foreach (var options in list)
        foreach (int scale in new[] { 2, 3, 4 })
        {
            using var net = ModelRegistry.Create(name, scale, options);
            long actual = net.state_dict().Values.Sum(t => t.numel());
            var (estimate, exact) = ModelLimits.Estimate(name, scale, options)!.Value;
            var what = $"{name} ×{scale} {options?.ToJsonString() ?? "{}"}";
            if (exact) Assert.True(estimate == actual, $"{what}: estimate {estimate}, actual {actual}");
            else Assert.True(estimate <= actual && estimate > actual / 2, $"{what}: lower bound {estimate}, actual {actual}");
        }
    }

    [Fact]
    public void The_registry_checks_the_limits_before_building_too()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelRegistry.Create("glrl", 2, new JsonObject { ["Channels"] = 5000 }));
        Assert.Equal("option 'Channels' of model 'glrl' is 5000, outside the range 1..4096 this SrMlNet accepts", e.Message);
        e = Assert.Throws<ArgumentException>(() => ModelRegistry.Create("rrdbnet", 4, new JsonObject { ["nf"] = 4096, ["nb"] = 100 }));
        Assert.Contains("describe a network of at least ", e.Message);
    }
}
