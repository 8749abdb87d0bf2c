using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Sr.Torch.Serialization;

/// <summary>
/// A pickle reader that builds plain data (dicts, lists, tuples, strings, numbers) and tensor descriptions, and
/// nothing else: it knows the handful of globals that <c>torch.save(model.state_dict())</c> writes and refuses
/// every other one before anything is built. It never runs code named by the file — unlike Python's pickle.
/// </summary>
internal sealed partial class RestrictedUnpickler
{
    /// <summary>A storage named by a persistent id: zip entry <c>data/&lt;Key&gt;</c> holding <c>Numel</c> elements.</summary>
    internal sealed record StorageRef(string Key, ScalarType Dtype, long Numel, string Location);

    /// <summary>What <c>_rebuild_tensor_v2</c> describes: a strided view of a storage (materialised only if selected).</summary>
    internal sealed record TensorRef(StorageRef Storage, long Offset, long[] Size, long[] Stride);

    /// <summary>A Python dict or OrderedDict (insertion order kept, as Python does).</summary>
    internal sealed class PyDict : OrderedDictionary<object, object?>;

    private sealed record PyGlobal(string Module, string Name)
    {
        public override string ToString() => $"{Module}.{Name}";
    }

    private sealed class MarkObject
    {
        public static readonly MarkObject Instance = new();
    }

    private static readonly Dictionary<string, ScalarType> StorageTypes = new()
    {
        ["FloatStorage"] = ScalarType.Float32, ["DoubleStorage"] = ScalarType.Float64, ["HalfStorage"] = ScalarType.Float16,
        ["BFloat16Storage"] = ScalarType.BFloat16, ["LongStorage"] = ScalarType.Int64, ["IntStorage"] = ScalarType.Int32,
        ["ShortStorage"] = ScalarType.Int16, ["CharStorage"] = ScalarType.Int8, ["ByteStorage"] = ScalarType.Byte,
        ["BoolStorage"] = ScalarType.Bool,
    };

    private static readonly HashSet<string> Callables =
    [
        "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state",
    ];

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private readonly byte[] _data;
    private readonly string _source;
    private int _pos;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];

    private readonly string _what;
    private readonly Dictionary<string, StorageRef> _storages = [];

    private RestrictedUnpickler(byte[] data, string source, int start = 0, string what = "data.pkl")
    {
        _data = data;
        _source = source;
        _pos = start;
        _what = what;
    }

    /// <summary>Reads one pickle; the result holds <see cref="PyDict"/>, <c>List&lt;object?&gt;</c>, <c>object?[]</c> (tuples), strings, longs, doubles, bools, null and <see cref="TensorRef"/>.</summary>
    internal static object? Load(byte[] data, string source) => new RestrictedUnpickler(data, source).Run();

    /// <summary>
    /// Reads the pickle starting at <paramref name="position"/> and moves it past the STOP opcode (files holding several
    /// pickles in a row: the legacy format). <paramref name="what"/> names the pickle in errors; <paramref name="storages"/>
    /// gets every storage its persistent ids named, by key.
    /// </summary>
    internal static object? Load(byte[] data, ref int position, string source, string what, out IReadOnlyDictionary<string, StorageRef> storages)
    {
        var u = new RestrictedUnpickler(data, source, position, what);
        var result = u.Run();
        position = u._pos;
        storages = u._storages;
        return result;
    }

    private WeightsFormatException Malformed(string problem) =>
        new(_source, $"has a malformed pickle ({_what}, byte {_pos}): {problem}");

    private object? Run()
    {
        while (true)
        {
            if (_pos >= _data.Length) throw Malformed("it ends without a STOP opcode (truncated?)");
            int at = _pos;
            byte op = _data[_pos++];
            switch (op)
            {
                case 0x80: Take(1); break;                                  // PROTO
                case 0x95: Take(8); break;                                  // FRAME (protocol 4 framing hint)
                case (byte)'.':                                             // STOP
                    if (_stack.Count != 1) throw Malformed($"STOP with {_stack.Count} values on the stack");
                    return _stack[0];
                case (byte)'(': _marks.Push(_stack.Count); break;           // MARK
                case (byte)'0': Pop(); break;                               // POP
                case (byte)'1': PopMark(); break;                           // POP_MARK
                case (byte)'2': Push(Peek()); break;                        // DUP
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;                               // NEWTRUE
                case 0x89: Push(false); break;                              // NEWFALSE
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break;   // BININT
                case (byte)'K': Push((long)Take(1)[0]); break;                                          // BININT1
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break;  // BININT2
                case 0x8a: Push(Long(Take(Take(1)[0]))); break;                                         // LONG1
                case 0x8b: Push(Long(Take(Length(BinaryPrimitives.ReadInt32LittleEndian(Take(4)))))); break; // LONG4
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break;             // BINFLOAT
                case (byte)'X': Push(Text(Take(Length(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))))); break; // BINUNICODE
                case 0x8c: Push(Text(Take(Take(1)[0]))); break;                                          // SHORT_BINUNICODE
                case 0x8d: Push(Text(Take(Length(BinaryPrimitives.ReadUInt64LittleEndian(Take(8)))))); break; // BINUNICODE8
                case (byte)'B': Push(Take(Length(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))).ToArray()); break; // BINBYTES
                case (byte)'C': Push(Take(Take(1)[0]).ToArray()); break;                                 // SHORT_BINBYTES
                case 0x8e: Push(Take(Length(BinaryPrimitives.ReadUInt64LittleEndian(Take(8)))).ToArray()); break; // BINBYTES8
                case (byte)')': Push(Array.Empty<object?>()); break;        // EMPTY_TUPLE
                case (byte)'t': Push(PopMark().ToArray()); break;           // TUPLE
                case 0x85: Push(new[] { Pop() }); break;                    // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; }             // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; } // TUPLE3
                case (byte)']': Push(new List<object?>()); break;           // EMPTY_LIST
                case (byte)'l': Push(PopMark()); break;                     // LIST
                case (byte)'a': { var v = Pop(); ListOnTop().Add(v); break; }                           // APPEND
                case (byte)'e': { var items = PopMark(); ListOnTop().AddRange(items); break; }          // APPENDS
                case 0x8f: Push(new List<object?>()); break;                // EMPTY_SET (kept as a list)
                case 0x90: { var items = PopMark(); ListOnTop().AddRange(items); break; }               // ADDITEMS
                case 0x91: Push(PopMark()); break;                          // FROZENSET
                case (byte)'}': Push(new PyDict()); break;                  // EMPTY_DICT
                case (byte)'d': { var d = new PyDict(); SetItems(d, PopMark()); Push(d); break; }       // DICT
                case (byte)'s': { var v = Pop(); var k = Pop(); SetItems(DictOnTop(), [k, v]); break; } // SETITEM
                case (byte)'u': { var items = PopMark(); SetItems(DictOnTop(), items); break; }         // SETITEMS
                case (byte)'q': _memo[Take(1)[0]] = Peek(); break;                                       // BINPUT
                case (byte)'r': _memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = Peek(); break; // LONG_BINPUT
                case 0x94: _memo[_memo.Count] = Peek(); break;                                           // MEMOIZE
                case (byte)'h': Push(Memo(Take(1)[0])); break;                                           // BINGET
                case (byte)'j': Push(Memo(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break;    // LONG_BINGET
                case (byte)'c': { var module = Line(); var name = Line(); Push(Global(module, name)); break; } // GLOBAL
                case 0x93:                                                                               // STACK_GLOBAL
                {
                    if (Pop() is not string name || Pop() is not string module) throw Malformed("STACK_GLOBAL without two strings");
                    Push(Global(module, name));
                    break;
                }
                case (byte)'R': { var args = Pop(); var f = Pop(); Push(Call(f, args)); break; }        // REDUCE
                case 0x81: { var args = Pop(); var cls = Pop(); Push(Call(cls, args)); break; }         // NEWOBJ
                case (byte)'b': { var state = Pop(); Build(Peek(), state); break; }                     // BUILD
                case (byte)'Q': Push(PersistentLoad(Pop())); break;                                      // BINPERSID
                default:
                    _pos = at;
                    throw Malformed($"opcode 0x{op:x2} is not supported (only the binary protocols 2-5 that torch.save writes are read)");
            }
        }
    }

    // ---- reading primitives ---------------------------------------------------------------------------------
    private ReadOnlySpan<byte> Take(int n)
    {
        if (n < 0 || n > _data.Length - _pos) throw Malformed($"a {n}-byte field runs past the end of the pickle (truncated?)");
        var s = _data.AsSpan(_pos, n);
        _pos += n;
        return s;
    }

    private int Length(ulong n) => n > (ulong)(_data.Length - _pos) ? throw Malformed($"a {n}-byte field runs past the end of the pickle (truncated?)") : (int)n;
    private int Length(long n) => n < 0 ? throw Malformed("negative length") : Length((ulong)n);

    private string Line()
    {
        int end = Array.IndexOf(_data, (byte)'\n', _pos);
        if (end < 0) throw Malformed("unterminated GLOBAL name");
        var s = Text(_data.AsSpan(_pos, end - _pos));
        _pos = end + 1;
        return s;
    }

    private string Text(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Malformed("a string is not valid UTF-8");
        }
    }

    private object Long(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0) return 0L;
        var v = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return v >= long.MinValue && v <= long.MaxValue ? (long)v : throw Malformed("an integer does not fit in 64 bits");
    }

    // ---- stack ---------------------------------------------------------------------------------------------------
    private void Push(object? o) => _stack.Add(o);

    private object? Pop()
    {
        if (_stack.Count == 0 || (_marks.Count > 0 && _marks.Peek() == _stack.Count)) throw Malformed("stack underflow");
        var o = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return o;
    }

    private object? Peek() => _stack.Count > 0 ? _stack[^1] : throw Malformed("stack underflow");

    private List<object?> PopMark()
    {
        if (_marks.Count == 0) throw Malformed("no MARK to pop to");
        int m = _marks.Pop();
        var items = _stack.GetRange(m, _stack.Count - m);
        _stack.RemoveRange(m, _stack.Count - m);
        return items;
    }

    private object? Memo(long index) => _memo.TryGetValue(index, out var o) ? o : throw Malformed($"memo entry {index} is read before it is written");

    private List<object?> ListOnTop() => Peek() as List<object?> ?? throw Malformed("APPEND to something that is not a list");

    private PyDict DictOnTop() => Peek() as PyDict ?? throw Malformed("SETITEM on something that is not a dict");

    private void SetItems(PyDict d, List<object?> kv)
    {
        if (kv.Count % 2 != 0) throw Malformed("SETITEMS with an odd number of values");
        for (int i = 0; i < kv.Count; i += 2)
        {
            var key = kv[i] ?? throw Malformed("a dict key is None");
            if (key is not (string or long or bool or double)) throw Malformed($"a dict key of type {Describe(key)}");
            d[key] = kv[i + 1];
        }
    }
}
