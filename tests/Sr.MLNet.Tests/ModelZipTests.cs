using System.IO.Compression;
using System.Text;
using Sr.Torch;

namespace Sr.MLNet.Tests;

public class ModelZipTests : IDisposable
{
    private readonly SrContext _sr = new(seed: 1);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("srzip");

    public void Dispose() => _dir.Delete(true);

    private string SavedModel()
    {
        var data = _sr.Data.LoadFromEnumerable(TestData.Rows((7, 7)));
        var model = _sr.Transforms.ModCrop("HR", "Image", 3).Append(_sr.Transforms.Augment(["HR"], seed: 4)).Fit(data);
        var path = Path.Combine(_dir.FullName, "model.zip");
        _sr.Model.Save(model, data.Schema, path);
        return path;
    }

    [Fact]
    public void The_zip_has_MLNets_layout_a_version_and_checksums()
    {
        using var zip = ZipFile.OpenRead(SavedModel());
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("TrainingInfo/Version.txt", names);
        Assert.Contains("TrainingInfo/Checksums.sha256", names);
        Assert.Contains("Schema", names);
        Assert.Contains("TransformerChain/Model.key", names);
        Assert.Contains("TransformerChain/Transform_000/Model.key", names);
        Assert.Contains("TransformerChain/Transform_001/Model.key", names);
        Assert.DoesNotContain(names, n => n.Contains('\\'));
    }

    [Fact]
    public void A_saved_chain_loads_with_its_scopes_options_and_input_schema()
    {
        var path = SavedModel();
        var loaded = (TransformerChain<ITransformer>)_sr.Model.Load(path, out var schema);
        Assert.Equal(["Name", "Image"], schema.Select(c => c.Name));
        Assert.Equal([TransformerScope.Everything, TransformerScope.Training], loaded.Scopes);
        Assert.Equal(3, Assert.IsType<ModCropTransformer>(loaded.First()).Scale);
        Assert.Equal(4, Assert.IsType<AugmentTransformer>(loaded.Last()).Seed);
        var data = _sr.Data.LoadFromEnumerable(TestData.Rows((7, 7)));
        Assert.Equal([1L, 3, 6, 6], TestData.Images(loaded.Transform(data), "HR").Single().shape);
    }

    [Fact]
    public void Saving_is_deterministic()
    {
        var a = File.ReadAllBytes(SavedModel());
        var b = File.ReadAllBytes(SavedModel());
        Assert.Equal(a, b);
    }

    private ModelFormatException LoadFails(string path) =>
        Assert.Throws<ModelFormatException>(() => _sr.Model.Load(path, out _));

    [Fact]
    public void A_truncated_zip_is_refused_naming_the_file()
    {
        var path = SavedModel();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = LoadFails(path);
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    private static void Rewrite(string path, Action<Dictionary<string, byte[]>> edit)
    {
        var entries = new Dictionary<string, byte[]>();
        using (var zip = ZipFile.OpenRead(path))
            foreach (var e in zip.Entries)
            {
                using var s = e.Open();
                using var ms = new MemoryStream();
                s.CopyTo(ms);
                entries[e.FullName] = ms.ToArray();
            }
        edit(entries);
        File.Delete(path);
        using var outZip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, bytes) in entries)
        {
            using var s = outZip.CreateEntry(name).Open();
            s.Write(bytes);
        }
    }

    [Fact]
    public void A_tampered_entry_fails_its_checksum()
    {
        var path = SavedModel();
        Rewrite(path, e =>
        {
            var key = e["TransformerChain/Transform_000/Model.key"];
            var text = Encoding.UTF8.GetString(key).Replace("\"Scale\": 3", "\"Scale\": 5");
            e["TransformerChain/Transform_000/Model.key"] = Encoding.UTF8.GetBytes(text);
        });
        Assert.Contains("does not match its SHA-256 checksum", LoadFails(path).Message);
    }

    [Fact]
    public void A_foreign_zip_is_refused()
    {
        var path = Path.Combine(_dir.FullName, "foreign.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        using (var s = zip.CreateEntry("TransformerChain/Model.key").Open())
            s.Write("not ours"u8);
        Assert.Contains("not an SrMlNet model zip", LoadFails(path).Message);
    }

    [Fact]
    public void An_entry_path_escaping_the_archive_is_refused()
    {
        var path = SavedModel();
        Rewrite(path, e => e["../../evil.txt"] = "x"u8.ToArray());
        Assert.Contains("not a safe relative path", LoadFails(path).Message);
    }

    [Fact]
    public void An_entry_added_after_saving_is_refused()
    {
        var path = SavedModel();
        Rewrite(path, e => e["TransformerChain/Transform_000/Extra.bin"] = "x"u8.ToArray());
        Assert.Contains("not listed", LoadFails(path).Message);
    }

    [Fact]
    public void A_newer_format_is_refused_with_both_versions_named()
    {
        var path = SavedModel();
        Rewrite(path, e =>
        {
            // A consistent zip (checksums updated) of a format this version does not know.
            e["TrainingInfo/Version.txt"] = "SrMlNet model zip\nformat=99\n"u8.ToArray();
            var sums = Encoding.UTF8.GetString(e["TrainingInfo/Checksums.sha256"]).Split('\n');
            sums[0] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(e["TrainingInfo/Version.txt"])) + "  TrainingInfo/Version.txt";
            e["TrainingInfo/Checksums.sha256"] = Encoding.UTF8.GetBytes(string.Join('\n', sums));
        });
        var msg = LoadFails(path).Message;
        Assert.Contains("format 99", msg);
        Assert.Contains("reads format 1", msg);
    }

    [Fact]
    public void An_unregistered_transformer_names_its_loader_signature()
    {
        var path = SavedModel();
        var bare = new SrContext();
        // A context without the built-ins: simulate a third-party transformer nobody registered.
        var catalog = typeof(ComponentCatalog).GetField("_factories", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        ((System.Collections.IDictionary)catalog.GetValue(bare.ComponentCatalog)!).Remove("SrAugment");
        var e = Assert.Throws<ModelFormatException>(() => bare.Model.Load(path, out _));
        Assert.Contains("'SrAugment', which is not registered", e.Message);
    }

    [Fact]
    public void Saving_over_an_existing_model_leaves_no_temporary_files()
    {
        SavedModel();
        SavedModel();
        Assert.Single(_dir.GetFiles());
    }

    /// <summary>A transformer with a network, to test the weights side stream (test double).</summary>
    private sealed class ConvHolder(torch.nn.Conv2d conv) : ITransformer, ILoadableTransformer<ConvHolder>
    {
        private static readonly VersionInfo V = new("CONVHOLD", 1, 1, 1, "TestConvHolder");
        public torch.nn.Conv2d Conv { get; } = conv;
        public static string LoaderSignature => V.LoaderSignature;
        public bool IsRowToRowMapper => true;
        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inputSchema;
        public IDataView Transform(IDataView input) => input;
        public void Save(ModelSaveContext ctx)
        {
            ctx.SetVersionInfo(V);
            ctx.SaveWeights("Weights.safetensors", Conv);
        }
        public static ConvHolder Create(ModelLoadContext ctx)
        {
            ctx.CheckAtModel(V);
            var conv = new torch.nn.Conv2d(2, 4, 3);
            ctx.LoadWeights("Weights.safetensors", conv);
            return new ConvHolder(conv);
        }
    }

    [Fact]
    public void Network_weights_travel_as_a_safetensors_side_stream_bit_for_bit()
    {
        torch.manual_seed(3);
        var holder = new ConvHolder(new torch.nn.Conv2d(2, 4, 3));
        var path = Path.Combine(_dir.FullName, "weights.zip");
        _sr.Model.Save(holder, DataViewSchema.Empty, path);
        using (var zip = ZipFile.OpenRead(path))
            Assert.Contains(zip.Entries, e => e.FullName == "TransformerChain/Transform_000/Weights.safetensors");
        _sr.ComponentCatalog.Register<ConvHolder>();
        torch.manual_seed(4);
        var loaded = ((TransformerChain<ITransformer>)_sr.Model.Load(path, out _)).OfType<ConvHolder>().Single();
        foreach (var (k, v) in holder.Conv.state_dict()) Assert.True(torch.allclose(v, loaded.Conv.state_dict()[k], 0, 0));
    }
}
