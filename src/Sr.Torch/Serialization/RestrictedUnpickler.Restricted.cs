using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Sr.Torch.Serialization;

// The restricted part of RestrictedUnpickler: the globals it knows, the calls it allows, and storage references.
internal sealed partial class RestrictedUnpickler
{
    // ---- the restricted part --------------------------------------------------------------------------------------
    private PyGlobal Global(string module, string name)
    {
        var g = new PyGlobal(module, name);
        bool storage = module == "torch" && StorageTypes.ContainsKey(name);
        if (!storage && !Callables.Contains(g.ToString()))
            throw WeightsFormatException.Refused(_source, g.ToString(),
                (module.StartsWith("torch.nn.modules", StringComparison.Ordinal) || module.StartsWith("__main__", StringComparison.Ordinal)
                    ? " (this file holds a whole pickled module: save model.state_dict() with torch.save instead)"
                    : null));
        return g;
    }

    private object? Call(object? callable, object? args)
    {
        if (callable is not PyGlobal g || !Callables.Contains(g.ToString())) throw Malformed($"REDUCE on {Describe(callable)}, which is not an allowed callable");
        if (args is not object?[] a) throw Malformed($"{g} called with {Describe(args)} instead of an argument tuple");
        switch (g.Name)
        {
            case "OrderedDict":
            {
                var d = new PyDict();
                if (a.Length == 1 && a[0] is List<object?> pairs)
                    foreach (var p in pairs)
                        SetItems(d, p is object?[] { Length: 2 } kv ? [kv[0], kv[1]] : throw Malformed("OrderedDict built from something other than pairs"));
                else if (a.Length != 0) throw Malformed("OrderedDict called with unexpected arguments");
                return d;
            }
            case "_rebuild_tensor_v2":
            {
                // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
                if (a.Length < 6 || a[0] is not StorageRef s || a[1] is not long offset)
                    throw Malformed("_rebuild_tensor_v2 called with unexpected arguments");
                var size = Longs(a[2], "size");
                var stride = Longs(a[3], "stride");
                if (size.Length != stride.Length) throw Malformed("_rebuild_tensor_v2 with sizes and strides of different lengths");
                return new TensorRef(s, offset, size, stride);
            }
            default: // _rebuild_parameter(data, requires_grad, backward_hooks[, state]): the tensor is the data
                return a.Length >= 3 && a[0] is TensorRef t ? t : throw Malformed($"{g.Name} called with unexpected arguments");
        }
    }

    private long[] Longs(object? o, string what) =>
        o is object?[] t && t.All(x => x is long) ? t.Select(x => (long)x!).ToArray() : throw Malformed($"tensor {what} is not a tuple of integers");

    private void Build(object? target, object? state)
    {
        // An OrderedDict state_dict carries its `_metadata` (module versions) as instance state; a tensor may
        // carry Python attributes. Neither matters for the values, so the state is dropped.
        if (target is PyDict or TensorRef) return;
        throw Malformed($"BUILD on {Describe(target)}");
    }

    private StorageRef PersistentLoad(object? pid)
    {
        // ('storage', torch.FloatStorage, key, location, numel), and in the legacy format a sixth item, view_metadata: None,
        // or (view_key, offset, size) for a view of a storage (never written by torch.save since 0.4; not read).
        if (pid is not object?[] { Length: 5 or 6 } t || t[0] as string != "storage" || t[1] is not PyGlobal type || t[2] is not string key
            || t[3] is not string location || t[4] is not long numel || numel < 0)
            throw Malformed($"persistent id {Describe(pid)} is not a tensor storage reference");
        if (t.Length == 6 && t[5] is not null) throw Malformed($"storage {key} is a view of another storage (legacy view_metadata), which is not read");
        if (type.Module != "torch" || !StorageTypes.TryGetValue(type.Name, out var dtype))
            throw WeightsFormatException.Refused(_source, type.ToString());
        var storage = new StorageRef(key, dtype, numel, location);
        if (_storages.TryGetValue(key, out var seen) && seen != storage) throw Malformed($"storage {key} is named twice with different types or sizes");
        _storages[key] = storage;
        return storage;
    }

    internal static string Describe(object? o) => o switch
    {
        null => "None",
        string => "a string",
        long or double or bool => "a number",
        PyDict => "a dict",
        List<object?> => "a list",
        object?[] => "a tuple",
        TensorRef => "a tensor",
        StorageRef => "a storage",
        byte[] => "bytes",
        _ => o.ToString() ?? "?",
    };
}
