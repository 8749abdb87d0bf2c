using System.Reflection;

namespace Sr.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// A network component with named parameters, buffers and submodules (PyTorch's <c>nn.Module</c>).
        /// Field names become state-dict keys: <see cref="RegisterComponents"/> registers every
        /// <see cref="Parameter"/>, <see cref="Module"/> and <see cref="Tensor"/> field under its name.
        /// </summary>
        public abstract class Module : IDisposable
        {
            private readonly List<KeyValuePair<string, Parameter?>> _parameters = [];
            private readonly List<KeyValuePair<string, Tensor>> _buffers = [];
            private readonly HashSet<string> _nonPersistent = [];
            private readonly List<KeyValuePair<string, Module>> _modules = [];

            protected Module(string name) => GetName = name;

            /// <summary>The module's type name, as shown when printing.</summary>
            public string GetName { get; }

            public bool training { get; private set; } = true;

            // ---- registration ------------------------------------------------------------------------
            private static void CheckName(string name)
            {
                if (string.IsNullOrEmpty(name) || name.Contains('.')) throw new ArgumentException($"Invalid component name '{name}': it must be non-empty and contain no '.'.");
            }

            private bool Taken(string name) =>
                _parameters.Any(p => p.Key == name) || _buffers.Any(b => b.Key == name) || _modules.Any(m => m.Key == name);

            public void register_parameter(string name, Parameter? parameter)
            {
                CheckName(name);
                if (Taken(name)) throw new ArgumentException($"'{name}' is already registered in {GetName}.");
                _parameters.Add(new(name, parameter));
            }

            public void register_buffer(string name, Tensor buffer, bool persistent = true)
            {
                CheckName(name);
                if (Taken(name)) throw new ArgumentException($"'{name}' is already registered in {GetName}.");
                buffer.DetachFromDisposeScope();
                _buffers.Add(new(name, buffer));
                if (!persistent) _nonPersistent.Add(name);
            }

            public T register_module<T>(string name, T module) where T : Module
            {
                CheckName(name);
                if (Taken(name)) throw new ArgumentException($"'{name}' is already registered in {GetName}.");
                _modules.Add(new(name, module));
                return module;
            }

            /// <summary>Registers every Parameter, Module and Tensor field (declared order, base classes first) under its field name.</summary>
            protected void RegisterComponents()
            {
                var types = new Stack<Type>();
                for (var t = GetType(); t != null && t != typeof(Module); t = t.BaseType) types.Push(t);
                foreach (var type in types)
                {
                    foreach (var f in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    {
                        if (f.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute)) && !f.Name.Contains("k__BackingField")) continue;
                        var name = f.Name.Contains("k__BackingField") ? f.Name[1..f.Name.IndexOf('>')] : f.Name;
                        if (Taken(name)) continue;
                        switch (f.GetValue(this))
                        {
                            case Parameter p: register_parameter(name, p); break;
                            case Module m: register_module(name, m); break;
                            case Tensor b: register_buffer(name, b); break;
                            case null when f.FieldType == typeof(Parameter): register_parameter(name, null); break;
                        }
                    }
                }
            }

            // ---- traversal ---------------------------------------------------------------------------
            public IEnumerable<(string name, Parameter parameter)> named_parameters(bool recurse = true)
            {
                foreach (var (n, p) in _parameters) if (p != null) yield return (n, p);
                if (!recurse) yield break;
                foreach (var (mn, m) in _modules)
                    foreach (var (n, p) in m.named_parameters()) yield return ($"{mn}.{n}", p);
            }

            public IEnumerable<Parameter> parameters(bool recurse = true) => named_parameters(recurse).Select(p => p.parameter);

            public IEnumerable<(string name, Tensor buffer)> named_buffers(bool recurse = true, bool persistentOnly = false)
            {
                foreach (var (n, b) in _buffers) if (!persistentOnly || !_nonPersistent.Contains(n)) yield return (n, b);
                if (!recurse) yield break;
                foreach (var (mn, m) in _modules)
                    foreach (var (n, b) in m.named_buffers(true, persistentOnly)) yield return ($"{mn}.{n}", b);
            }

            public IEnumerable<Tensor> buffers(bool recurse = true) => named_buffers(recurse).Select(b => b.buffer);
            public IEnumerable<(string name, Module module)> named_children() => _modules.Select(m => (m.Key, m.Value));
            public IEnumerable<Module> children() => _modules.Select(m => m.Value);

            public IEnumerable<(string name, Module module)> named_modules()
            {
                yield return ("", this);
                foreach (var (mn, m) in _modules)
                    foreach (var (n, sub) in m.named_modules()) yield return (n.Length == 0 ? mn : $"{mn}.{n}", sub);
            }

            public IEnumerable<Module> modules() => named_modules().Select(m => m.module);

            /// <summary>The number of trainable elements (all parameters, or only those that require grad).</summary>
            public long ParameterCount(bool trainableOnly = false) =>
                parameters().Where(p => !trainableOnly || p.requires_grad).Sum(p => p.numel());

            public Module apply(Action<Module> fn)
            {
                foreach (var m in children()) m.apply(fn);
                fn(this);
                return this;
            }

            public virtual Module train(bool on = true)
            {
                training = on;
                foreach (var m in children()) m.train(on);
                return this;
            }

            public Module eval() => train(false);

            public void zero_grad()
            {
                foreach (var p in parameters()) p.grad = null;
            }

            // ---- devices and types ---------------------------------------------------------------------
            public Module to(Device device) => Move(t => t.to(device));
            public Module to(ScalarType type) => Move(t => t.dtype.IsFloatingPoint() ? t.to(type) : t.alias());

            private Module Move(Func<Tensor, Tensor> convert)
            {
                foreach (var p in parameters())
                {
                    bool rg = p.requires_grad;
                    using var moved = convert(p.detach());
                    p.SwapHandle(Native.NativeMethods.sr_detach(moved.Handle));
                    p.requires_grad = rg;
                }
                foreach (var (_, b) in named_buffers())
                {
                    using var moved = convert(b);
                    b.SwapHandle(Native.NativeMethods.sr_alias(moved.Handle));
                }
                return this;
            }

            // ---- state dict ---------------------------------------------------------------------------------
            /// <summary>Parameters and persistent buffers by dotted name; the tensors are the module's own (do not dispose them).</summary>
            public Dictionary<string, Tensor> state_dict()
            {
                var d = new Dictionary<string, Tensor>();
                foreach (var (n, p) in named_parameters()) d[n] = p;
                foreach (var (n, b) in named_buffers(true, persistentOnly: true)) d[n] = b;
                return d;
            }

            /// <summary>
            /// Copies values by name into this module's parameters and buffers. Shapes must match; with
            /// <paramref name="strict"/>, missing or unexpected keys are an error naming them.
            /// </summary>
            public (IList<string> missing_keys, IList<string> unexpected_keys) load_state_dict(IReadOnlyDictionary<string, Tensor> source, bool strict = true)
            {
                var own = state_dict();
                var missing = own.Keys.Where(k => !source.ContainsKey(k)).ToList();
                var unexpected = source.Keys.Where(k => !own.ContainsKey(k)).ToList();
                if (strict && (missing.Count > 0 || unexpected.Count > 0))
                    throw new ArgumentException($"Error(s) in loading state_dict for {GetName}: " +
                        (missing.Count > 0 ? $"missing key(s): {string.Join(", ", missing.Take(20))}{(missing.Count > 20 ? ", …" : "")}. " : "") +
                        (unexpected.Count > 0 ? $"unexpected key(s): {string.Join(", ", unexpected.Take(20))}{(unexpected.Count > 20 ? ", …" : "")}." : ""));
                using (no_grad())
                {
                    foreach (var (k, target) in own)
                    {
                        if (!source.TryGetValue(k, out var value)) continue;
                        if (!value.shape.SequenceEqual(target.shape))
                            throw new ArgumentException($"size mismatch for {k}: copying a param with shape [{string.Join(", ", value.shape)}], the shape in the current model is [{string.Join(", ", target.shape)}].");
                        using var converted = value.to(target.dtype, target.device);
                        target.copy_(converted);
                    }
                }
                return (missing, unexpected);
            }

            public override string ToString() => ToString(0);

            private string ToString(int indent)
            {
                if (_modules.Count == 0) return $"{GetName}({ExtraRepr()})";
                var pad = new string(' ', indent + 2);
                var lines = _modules.Select(m => $"{pad}({m.Key}): {m.Value.ToString(indent + 2)}");
                return $"{GetName}(\n{string.Join("\n", lines)}\n{new string(' ', indent)})";
            }

            protected virtual string ExtraRepr() => "";

            public void Dispose()
            {
                Dispose(true);
                GC.SuppressFinalize(this);
            }

            protected virtual void Dispose(bool disposing)
            {
                if (!disposing) return;
                foreach (var (_, m) in _modules) m.Dispose();
                foreach (var (_, p) in _parameters) p?.Dispose();
                foreach (var (_, b) in _buffers) b.Dispose();
            }
        }

        /// <summary>A module with one input and one output.</summary>
        public abstract class Module<T, TResult> : Module
        {
            protected Module(string name) : base(name) { }

            public abstract TResult forward(T input);

            public TResult call(T input) => forward(input);
        }

        /// <summary>A module with two inputs.</summary>
        public abstract class Module<T1, T2, TResult> : Module
        {
            protected Module(string name) : base(name) { }

            public abstract TResult forward(T1 input1, T2 input2);

            public TResult call(T1 input1, T2 input2) => forward(input1, input2);
        }
    }
}
