using Google.Protobuf;
using Onnx;
using Sr.Models.Networks;
using Sr.Models.Onnx;

namespace Sr.Models.Tests;

/// <summary>Bad ONNX files get a clear <see cref="InvalidDataException"/> that names the file.</summary>
public sealed class OnnxModelInfoTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sr-onnx-info-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Exported()
    {
        using var net = new SrNet(2, new RsrNetOptions { Features = 4, DenseUnits = 1 });
        return OnnxExporter.Export(net);
    }

    [Fact]
    public void Random_bytes_are_not_an_onnx_model()
    {
        var bytes = new byte[4096];
        new Random(11).NextBytes(bytes);
        var path = Write("random.onnx", bytes);
        var e = Assert.Throws<InvalidDataException>(() => OnnxModelInfo.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not an ONNX model", e.Message);
    }

    [Fact]
    public void A_truncated_file_is_refused()
    {
        var bytes = Exported();
        var path = Write("truncated.onnx", bytes[..(bytes.Length * 2 / 3)]);
        var e = Assert.Throws<InvalidDataException>(() => OnnxModelInfo.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void An_onnx_model_without_the_producer_metadata_is_not_ours()
    {
        var model = ModelProto.Parser.ParseFrom(Exported());
        model.MetadataProps.Clear();
        var path = Write("foreign.onnx", model.ToByteArray());
        var e = Assert.Throws<InvalidDataException>(() => OnnxModelInfo.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("sr.producer", e.Message);
    }

    [Fact]
    public void External_data_tensors_are_refused()
    {
        var model = ModelProto.Parser.ParseFrom(Exported());
        var t = model.Graph.Initializer[0];
        t.RawData = ByteString.Empty;
        t.DataLocation = TensorProto.Types.DataLocation.External;
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "/etc/passwd" });
        var path = Write("external.onnx", model.ToByteArray());
        var e = Assert.Throws<InvalidDataException>(() => OnnxModelInfo.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("external", e.Message);
    }

    [Fact]
    public void An_input_that_does_not_match_the_layout_is_refused()
    {
        var model = ModelProto.Parser.ParseFrom(Exported());
        model.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue = 3; // a Y model claiming 3 channels
        var path = Write("wrong-input.onnx", model.ToByteArray());
        var e = Assert.Throws<InvalidDataException>(() => OnnxModelInfo.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("'input'", e.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var path = Path.Combine(_dir.FullName, "missing.onnx");
        var e = Assert.Throws<FileNotFoundException>(() => OnnxModelInfo.Read(path));
        Assert.Contains(path, e.Message);
    }
}
