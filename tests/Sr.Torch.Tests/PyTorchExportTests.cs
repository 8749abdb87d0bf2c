using System.IO.Compression;
using Sr.Torch.Serialization;
using static Sr.Torch.torch;

namespace Sr.Torch.Tests;

/// <summary>Export in torch.save's format (checked once by hand with Debian's python3-torch: torch.load and weights_only=True read it).</summary>
public class PyTorchExportTests
{
    [Fact]
    public void A_state_dict_written_in_pytorch_format_reads_back_bit_exactly_with_names_in_order()
    {
        using var dir = Fixtures.NewTempDir();
        var path = dir.File("export.pt");
        var original = PyTorchUnpickler.UnpickleStateDict(Fixtures.Path("tiny_state_dict.pt"));
        using var big = full([3], (double)(1L << 40), ScalarType.Int64);
        using var view = original["window"].t(); // a non-contiguous tensor is written as its row-major copy
        var sd = new Dictionary<string, Tensor>(original) { ["big"] = big, ["view"] = view };
        try
        {
            PyTorchPickler.PickleStateDict(path, sd);
            var back = PyTorchUnpickler.UnpickleStateDict(path);
            try
            {
                Assert.Equal(sd.Keys, back.Keys);
                foreach (var (k, t) in sd)
                {
                    Assert.Equal(t.dtype, back[k].dtype);
                    Assert.Equal(t.shape, back[k].shape);
                    using var a = t.to(ScalarType.Float64);
                    using var b = back[k].to(ScalarType.Float64);
                    Assert.Equal(a.data<double>(), b.data<double>());
                }
            }
            finally
            {
                foreach (var t in back.Values) t.Dispose();
            }
            // The layout torch.load expects: one folder named after the file, data.pkl, data/<key>, version.
            using var zip = new ZipArchive(File.OpenRead(path));
            Assert.Equal(["export/data.pkl", .. Enumerable.Range(0, sd.Count).Select(i => $"export/data/{i}"), "export/version"], zip.Entries.Select(e => e.FullName));
        }
        finally
        {
            foreach (var t in original.Values) t.Dispose();
        }
    }

    [Fact]
    public void Module_save_py_then_load_py_restores_the_weights()
    {
        using var dir = Fixtures.NewTempDir();
        var path = dir.File("conv.pth");
        using var a = new nn.Conv2d(2, 3, 3);
        a.save_py(path);
        using var b = new nn.Conv2d(2, 3, 3).load_py(path);
        Assert.Equal(a.weight!.data<float>(), b.weight!.data<float>());
        Assert.Equal(a.bias!.data<float>(), b.bias!.data<float>());
        Assert.Equal(["conv.pth"], Directory.GetFiles(dir.Dir).Select(Path.GetFileName));
    }
}
