using Sr.Torch.Serialization;
using static Sr.Torch.torch;

namespace Sr.Torch;

/// <summary>
/// Saving and loading a module's weights by state-dict name, as TorchSharp.PyBridge spells it:
/// <c>model.save_safetensors(path)</c>, <c>model.load_safetensors(path)</c>, <c>model.load_py(path)</c>.
/// </summary>
public static class ModuleWeightExtensions
{
    /// <summary>Writes the module's state dict (parameters and persistent buffers) as safetensors, through a temporary file and a rename.</summary>
    public static T save_safetensors<T>(this T module, string path, IReadOnlyDictionary<string, string>? metadata = null) where T : nn.Module
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(path);
        Safetensors.SaveStateDict(path, module.state_dict(), metadata);
        return module;
    }

    /// <summary>
    /// Loads weights from a safetensors file by name. With <paramref name="strict"/>, a name the module lacks or a
    /// module entry the file lacks is an error; names in <paramref name="skip"/> are left as they are.
    /// </summary>
    public static T load_safetensors<T>(this T module, string path, bool strict = true, IList<string>? skip = null) where T : nn.Module
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(path);
        return Load(module, path, Safetensors.LoadStateDict(path), strict, skip);
    }

    /// <summary>
    /// Loads weights from a PyTorch <c>.pt/.pth</c> state dict (<c>torch.save(model.state_dict(), path)</c>), or from the
    /// state dict under <paramref name="key"/> of a checkpoint dict (see <see cref="PyTorchUnpickler.CheckpointKeys"/>).
    /// </summary>
    public static T load_py<T>(this T module, string path, bool strict = true, IList<string>? skip = null, string? key = null) where T : nn.Module
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(path);
        return Load(module, path, PyTorchUnpickler.UnpickleStateDict(path, key), strict, skip);
    }

    private static T Load<T>(T module, string path, Dictionary<string, Tensor> loaded, bool strict, IList<string>? skip) where T : nn.Module
    {
        try
        {
            if (skip is { Count: > 0 })
            {
                foreach (var name in skip)
                    if (loaded.Remove(name, out var t)) t.Dispose();
            }
            var own = module.state_dict();
            if (strict)
            {
                var missing = own.Keys.Where(k => !loaded.ContainsKey(k) && skip?.Contains(k) != true).ToList();
                var unexpected = loaded.Keys.Where(k => !own.ContainsKey(k)).ToList();
                if (missing.Count > 0 || unexpected.Count > 0)
                    throw new WeightsFormatException(path, $"does not match {module.GetName}: " +
                        (missing.Count > 0 ? $"missing key(s) {List(missing)}. " : "") +
                        (unexpected.Count > 0 ? $"unexpected key(s) {List(unexpected)}." : ""));
            }
            foreach (var (name, t) in loaded)
            {
                if (own.TryGetValue(name, out var target) && !t.shape.SequenceEqual(target.shape))
                    throw new WeightsFormatException(path, $"does not match {module.GetName}: '{name}' has shape [{string.Join(", ", t.shape)}] in the file and [{string.Join(", ", target.shape)}] in the module");
            }
            module.load_state_dict(loaded, strict: false);
            return module;
        }
        finally
        {
            foreach (var t in loaded.Values) t.Dispose();
        }
    }

    private static string List(List<string> names) => string.Join(", ", names.Take(20)) + (names.Count > 20 ? $", … ({names.Count} in all)" : "");
}
