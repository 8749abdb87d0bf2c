using Sr.Models.Evaluation;

namespace Sr.Models.Tests;

public sealed class ManifestTests : IDisposable
{
    private static readonly string ManifestDir = Path.Combine(ImagingTestData.RepoRoot, "data-manifests");
    private readonly string _dir = Directory.CreateTempSubdirectory("sr-manifest-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void There_is_one_manifest_per_standard_set_with_files_where_we_hold_them()
    {
        var all = DatasetManifest.LoadAll(ManifestDir).ToDictionary(m => m.Name);
        Assert.Equal(["B100", "BSD200", "DIV2K", "General100", "Set14", "Set5", "T91", "Urban100"], all.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(5, all["Set5"].HrFiles.Count());
        Assert.Equal(30, all["Set5"].Files.Count(f => f.Role.StartsWith("lr-", StringComparison.Ordinal)));
        Assert.Equal(14, all["Set14"].HrFiles.Count());
        Assert.Equal(100, all["B100"].HrFiles.Count());
        Assert.Equal(78, all["Urban100"].HrFiles.Count());
        Assert.Equal("partial", all["Urban100"].Availability);
        Assert.Equal(22, all["Urban100"].NotHeld.Count);
        Assert.Equal(91, all["T91"].HrFiles.Count());
        Assert.Equal(200, all["BSD200"].HrFiles.Count());
        Assert.All(new[] { "General100", "DIV2K" }, n => Assert.Equal(("absent", 0), (all[n].Availability, all[n].Files.Count)));
        Assert.All(all.Values, m => Assert.NotEmpty(m.Sources));
        Assert.All(all.Values.SelectMany(m => m.Files), f => Assert.Equal(64, f.Sha256!.Length));
    }

    [Theory]
    [InlineData("Set5")]
    [InlineData("Set14")]
    public void The_shared_data_matches_its_manifest(string name)
    {
        var check = DatasetManifest.Load(Path.Combine(ManifestDir, name + ".json")).Verify(ImagingTestData.Root);
        Assert.True(check.Ok, check.ToString());
        Assert.Equal(name == "Set5" ? 35 : 56, check.Verified);
    }

    [Fact]
    public void A_missing_and_a_changed_file_are_named()
    {
        var manifest = DatasetManifest.Load(Path.Combine(ManifestDir, "Set5.json"));
        var copy = Path.Combine(_dir, "Set5");
        Directory.CreateDirectory(copy);
        foreach (var f in manifest.HrFiles) File.Copy(manifest.PathOf(ImagingTestData.Root, f), Path.Combine(copy, f.Path));
        File.Delete(Path.Combine(copy, "bird.png"));
        var bytes = File.ReadAllBytes(Path.Combine(copy, "head.png"));
        bytes[^20] ^= 0xFF; // same size, different content
        File.WriteAllBytes(Path.Combine(copy, "head.png"), bytes);
        var check = manifest.Verify(_dir, hrOnly: true);
        Assert.False(check.Ok);
        Assert.Equal([Path.Combine(copy, "bird.png")], check.Missing);
        Assert.Single(check.Differing);
        Assert.Contains("head.png: SHA-256", check.Differing[0]);
        var e = Assert.Throws<InvalidDataException>(check.ThrowIfFailed);
        Assert.Contains("bird.png", e.Message);
        Assert.Contains("head.png", e.Message);
    }

    [Fact]
    public void Evaluating_a_manifest_gives_the_numbers_of_its_folder()
    {
        var manifest = DatasetManifest.Load(Path.Combine(ManifestDir, "Set5.json"));
        var evaluator = new SrEvaluator();
        var viaManifest = evaluator.EvaluateManifest(manifest, ImagingTestData.Root, new BicubicResolver(), 4);
        var viaFolder = evaluator.EvaluateFolder(ImagingTestData.Path("Set5"), new BicubicResolver(), 4);
        Assert.Equal("Set5", viaManifest.Dataset);
        Assert.Equal(viaFolder.Images.Select(i => (i.Name, i.Psnr, i.Ssim)), viaManifest.Images.Select(i => (i.Name, i.Psnr, i.Ssim)));
    }

    [Fact]
    public void A_malformed_manifest_is_refused_naming_the_file()
    {
        var path = Path.Combine(_dir, "bad.json");
        File.WriteAllText(path, "{ \"name\": \"x\", ");
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => DatasetManifest.Load(path)).Message);
    }
}
