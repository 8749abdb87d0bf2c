using System.Globalization;
using Google.Protobuf;
using Onnx;
using Sr.Models.Networks;
using Sr.Torch;

namespace Sr.Models.Onnx;

/// <summary>
/// Builds one ONNX graph (opset <see cref="OnnxExporter.Opset"/>, default domain) node by node with OnnxSharp's generated
/// protobuf classes. Values are named by string; every helper returns the name of its output. Weights are copied out of
/// the modules (float32, row-major) into initializers, so the graph does not depend on the network after export.
/// </summary>
/// <remarks>
/// Each network's <see cref="SrNetwork.ExportOnnx"/> drives this builder with the same sequence of operations as its
/// forward, so the exported graph computes the same function; where a step cannot be written one to one (e.g. PyTorch's
/// symmetric padding, which ONNX's Pad lacks), the helper says how it is rebuilt.
/// </remarks>
internal sealed partial class OnnxGraphBuilder
{
    private readonly Dictionary<string, string> _constants = new(StringComparer.Ordinal);
    private int _counter;

    public GraphProto Graph { get; } = new() { Name = "srmlnet" };

    /// <summary>Element types for <see cref="Cast"/> (short names, so network code need not spell OnnxSharp's nested enum).</summary>
    public const TensorProto.Types.DataType Float = TensorProto.Types.DataType.Float, Int64Type = TensorProto.Types.DataType.Int64;

    /// <summary>A fresh value name with a readable hint.</summary>
    public string Fresh(string hint) => $"{hint}_{_counter++}";

    // ---- nodes ----------------------------------------------------------------------------------------

    /// <summary>Adds a node with one output and returns that output's name.</summary>
    public string Node(string op, IEnumerable<string> inputs, params AttributeProto[] attributes) =>
        NodeMulti(op, inputs, 1, attributes)[0];

    /// <summary>Adds a node with <paramref name="outputs"/> outputs.</summary>
    public string[] NodeMulti(string op, IEnumerable<string> inputs, int outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = Fresh(op) };
        node.Input.AddRange(inputs);
        var names = new string[outputs];
        for (int i = 0; i < outputs; i++) names[i] = Fresh(op.ToLowerInvariant());
        node.Output.AddRange(names);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return names;
    }

    /// <summary>Renames a value by an Identity node (graph outputs need fixed names).</summary>
    public void Identity(string input, string output)
    {
        var node = new NodeProto { OpType = "Identity", Name = Fresh("Identity") };
        node.Input.Add(input);
        node.Output.Add(output);
        Graph.Node.Add(node);
    }

    public static AttributeProto Attr(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Attr(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Attr(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Attr(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    // ---- graph inputs, outputs, initializers -------------------------------------------------------------

    /// <summary>Declares a graph input; a dimension is a fixed size (long) or a symbolic name (string).</summary>
    public string Input(string name, TensorProto.Types.DataType type, params object[] dims)
    {
        Graph.Input.Add(ValueInfo(name, type, dims));
        return name;
    }

    /// <summary>Declares a graph output, renaming <paramref name="value"/> to <paramref name="name"/>.</summary>
    public void Output(string value, string name, TensorProto.Types.DataType type, params object[] dims)
    {
        Identity(value, name);
        Graph.Output.Add(ValueInfo(name, type, dims));
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(d switch
            {
                long v => new TensorShapeProto.Types.Dimension { DimValue = v },
                int v => new TensorShapeProto.Types.Dimension { DimValue = v },
                string p => new TensorShapeProto.Types.Dimension { DimParam = p },
                _ => throw new ArgumentException($"Dimension {d} is neither a size nor a name.", nameof(dims)),
            });
        }
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape };
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }

    /// <summary>A float32 initializer of the given shape.</summary>
    public string Initializer(string hint, float[] data, params long[] dims)
    {
        if (data.LongLength != dims.Aggregate(1L, (a, b) => a * b))
            throw new ArgumentException($"Initializer '{hint}' has {data.Length} values for shape [{string.Join(", ", dims)}].", nameof(data));
        var t = new TensorProto { Name = Fresh(hint), DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims);
        // raw_data (little-endian float32) rather than float_data: a quarter smaller to parse, and exact.
        t.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
        Graph.Initializer.Add(t);
        return t.Name;
    }

    /// <summary>A float32 initializer with a tensor's values (copied out: the graph keeps no reference to the tensor).</summary>
    public string Initializer(string hint, Tensor tensor)
    {
        using var f = tensor.detach().to(ScalarType.Float32);
        return Initializer(hint, f.data<float>(), f.shape);
    }

    /// <summary>An int64 constant tensor (1-D, or a scalar when <paramref name="scalar"/>), shared by value.</summary>
    public string Int64(long[] values, bool scalar = false)
    {
        string key = (scalar ? "s:" : "v:") + string.Join(",", values);
        if (_constants.TryGetValue(key, out var name)) return name;
        var t = new TensorProto { Name = Fresh("i64"), DataType = (int)TensorProto.Types.DataType.Int64 };
        if (!scalar) t.Dims.Add(values.Length);
        t.Int64Data.AddRange(values);
        Graph.Initializer.Add(t);
        _constants[key] = t.Name;
        return t.Name;
    }

    public string Int64(params long[] values) => Int64(values, scalar: false);

    /// <summary>A float32 scalar constant, shared by value.</summary>
    public string Scalar(float value)
    {
        string key = "f:" + BitConverter.SingleToInt32Bits(value).ToString(CultureInfo.InvariantCulture);
        if (_constants.TryGetValue(key, out var name)) return name;
        var t = new TensorProto { Name = Fresh("f32"), DataType = (int)TensorProto.Types.DataType.Float };
        t.FloatData.Add(value);
        Graph.Initializer.Add(t);
        _constants[key] = t.Name;
        return t.Name;
    }
}
