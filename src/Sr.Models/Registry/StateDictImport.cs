using System.Text.RegularExpressions;
using Sr.Models.Networks;
using Sr.Models.Networks.Spsr;
using Sr.Torch;

namespace Sr.Models.Registry;

/// <summary>
/// Maps a published state dict (PyTorch <c>.pth</c>, safetensors) onto one of our networks by parameter name and shape.
/// Renames come first: the user's (<see cref="Rename"/> rules, the first that applies to a key), then, on their result, the
/// known layout of the network's upstream code when the file is in it (ESRGAN's <c>RRDB_PSNR_x4.pth</c> for rrdbnet ×4), and a DataParallel
/// <c>module.</c> prefix is dropped. Every network tensor must then find a source tensor of the same name and shape, and
/// every source tensor must be used; otherwise nothing is loaded and <see cref="StateDictMappingException"/> lists what
/// did not match.
/// </summary>
public static class StateDictImport
{
    /// <summary>
    /// One rename: <c>old=new</c>. With <c>*</c> wildcards (each one dot-free name part), e.g.
    /// <c>RRDB_trunk.*.RDB*.conv*.*=model.1.sub.*.RDB*.conv*.0.*</c>, the parts matched in <c>old</c> fill the <c>*</c>s of
    /// <c>new</c> in order; without, <c>old</c> is a prefix (a whole name or up to a dot): <c>generator.=</c> drops one.
    /// </summary>
    public sealed record Rename(string From, string To)
    {
        /// <summary>Parses <c>old=new</c>; the two sides must have the same number of <c>*</c>.</summary>
        public static Rename Parse(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            int eq = text.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new ArgumentException($"--map {text}: write old=new (e.g. --map conv_first.=model.0. or --map 'body.*.conv.*=trunk.*.0.*').");
            var r = new Rename(text[..eq], text[(eq + 1)..]);
            if (r.From.Count(c => c == '*') != r.To.Count(c => c == '*'))
                throw new ArgumentException($"--map {text}: both sides need the same number of * wildcards.");
            return r;
        }

        /// <summary>The renamed key, or null when this rule does not apply to <paramref name="key"/>.</summary>
        public string? Apply(string key)
        {
            if (!From.Contains('*', StringComparison.Ordinal))
            {
                if (key == From) return To;
                if (From.EndsWith('.') ? key.StartsWith(From, StringComparison.Ordinal) : key.StartsWith(From + ".", StringComparison.Ordinal))
                    return To + key[From.Length..];
                return null;
            }
            var pattern = "^" + string.Join("([^.]+)", From.Split('*').Select(Regex.Escape)) + "$";
            var m = Regex.Match(key, pattern, RegexOptions.CultureInvariant);
            if (!m.Success) return null;
            var parts = To.Split('*');
            var result = new System.Text.StringBuilder(parts[0]);
            for (int i = 1; i < parts.Length; i++) result.Append(m.Groups[i].Value).Append(parts[i]);
            return result.ToString();
        }

        public override string ToString() => $"{From}={To}";
    }

    /// <summary>
    /// The renames from a network's upstream layout, when <paramref name="source"/> is in it; else empty. rrdbnet ×4:
    /// ESRGAN's current <c>RRDBNet_arch.py</c> (<c>conv_first</c>, <c>RRDB_trunk.N.RDBk.convj</c>, <c>trunk_conv</c>,
    /// <c>upconv1/2</c>, <c>HRconv</c>, <c>conv_last</c>; the layout of <c>RRDB_PSNR_x4.pth</c>) onto our old-layout names.
    /// </summary>
    public static IReadOnlyList<Rename> KnownLayout(SrNetwork network, IEnumerable<string> source)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(source);
        if (network is RrdbNet { Scale: 4 } r && source.Contains("conv_first.weight"))
            return
            [
                new("conv_first.", "model.0."),
                new("RRDB_trunk.*.RDB*.conv*.*", "model.1.sub.*.RDB*.conv*.0.*"),
                new("trunk_conv.", $"model.1.sub.{r.Blocks}."),
                new("upconv1.", "model.3."),
                new("upconv2.", "model.6."),
                new("HRconv.", "model.8."),
                new("conv_last.", "model.10."),
            ];
        return [];
    }

    /// <summary>
    /// Applies the renames (first matching rule per key; the user's before the known layout) and checks names and shapes
    /// against <paramref name="network"/>'s state dict. Returns the renamed dict (the same tensors) ready for
    /// <c>load_state_dict</c>; throws <see cref="StateDictMappingException"/> listing every mismatch.
    /// </summary>
    public static Dictionary<string, Tensor> Map(IReadOnlyDictionary<string, Tensor> source, SrNetwork network, IReadOnlyList<Rename> renames, string sourceName) =>
        Map(source, network, renames, sourceName, out _);

    /// <summary>As <see cref="Map(IReadOnlyDictionary{string, Tensor}, SrNetwork, IReadOnlyList{Rename}, string)"/>; <paramref name="appliedRenames"/> = the user's and the known layout's rules.</summary>
    public static Dictionary<string, Tensor> Map(IReadOnlyDictionary<string, Tensor> source, SrNetwork network, IReadOnlyList<Rename> renames, string sourceName,
        out IReadOnlyList<Rename> appliedRenames)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(renames);
        // DataParallel saves every key under "module.": a wrapper, not a part of the network.
        bool dataParallel = source.Count > 0 && source.Keys.All(k => k.StartsWith("module.", StringComparison.Ordinal));
        static string Rename(IReadOnlyList<Rename> rules, string key) => rules.Select(r => r.Apply(key)).FirstOrDefault(n => n is not null) ?? key;
        // The user's renames first (they may unwrap a "generator." prefix), then the upstream layout on what they produced.
        var renamed = source.Keys.ToDictionary(k => k, k => Rename(renames, dataParallel ? k["module.".Length..] : k));
        var layout = KnownLayout(network, renamed.Values);
        var keys = renamed.ToDictionary(p => p.Key, p => Rename(layout, p.Value));
        var rules = renames.Concat(layout).ToList();
        appliedRenames = rules;
        var target = network.state_dict();
        var mapped = new Dictionary<string, Tensor>();
        var unused = new List<string>();
        var shapes = new List<string>();
        var duplicates = new List<string>();
        foreach (var (original, key) in keys)
        {
            var name = key;
            if (!target.TryGetValue(name, out var want)) { unused.Add(original == name ? name : $"{original} (as {name})"); continue; }
            var t = source[original];
            if (!t.shape.SequenceEqual(want.shape)) { shapes.Add($"{name}: file [{string.Join("×", t.shape)}], network [{string.Join("×", want.shape)}]"); continue; }
            if (!mapped.TryAdd(name, t)) duplicates.Add($"{name} (again from {original})");
        }
        // Buffers that carry no learned value (BatchNorm's num_batches_tracked) may be missing; parameters may not.
        var missing = target.Keys.Where(k => !mapped.ContainsKey(k) && !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToList();
        if (unused.Count + shapes.Count + missing.Count + duplicates.Count > 0)
            throw new StateDictMappingException(sourceName, network.GetType().Name, missing, unused, shapes, duplicates, rules);
        return mapped;
    }
}

/// <summary>A state dict that does not map onto the network: what is missing, left over or of another shape.</summary>
public sealed class StateDictMappingException(string source, string network, IReadOnlyList<string> missing, IReadOnlyList<string> unused,
    IReadOnlyList<string> shapeMismatches, IReadOnlyList<string> duplicates, IReadOnlyList<StateDictImport.Rename> renames)
    : Exception(Describe(source, network, missing, unused, shapeMismatches, duplicates, renames))
{
    /// <summary>Network tensors no source tensor maps to.</summary>
    public IReadOnlyList<string> Missing { get; } = missing;

    /// <summary>Source tensors that map to no network tensor.</summary>
    public IReadOnlyList<string> Unused { get; } = unused;

    /// <summary>Names found on both sides with different shapes.</summary>
    public IReadOnlyList<string> ShapeMismatches { get; } = shapeMismatches;

    private static string Describe(string source, string network, IReadOnlyList<string> missing, IReadOnlyList<string> unused,
        IReadOnlyList<string> shapes, IReadOnlyList<string> duplicates, IReadOnlyList<StateDictImport.Rename> renames)
    {
        static string List(string title, IReadOnlyList<string> items) =>
            items.Count == 0 ? "" : $"\n  {title} ({items.Count}): " + string.Join(", ", items.Take(12)) + (items.Count > 12 ? $", … ({items.Count - 12} more)" : "");
        return $"{source}: its state dict does not map onto {network} by name and shape; nothing was imported." +
            List("network tensors without a source", missing) + List("source tensors without a place", unused) +
            List("shape differs", shapes) + List("mapped twice", duplicates) +
            (renames.Count > 0 ? $"\n  renames applied: {string.Join(" ", renames)}" : "") +
            "\n  Fix: rename with --map old=new (wildcards: --map 'a.*.b=c.*.d'), or give the network's --options (sizes) the file was trained with.";
    }
}
