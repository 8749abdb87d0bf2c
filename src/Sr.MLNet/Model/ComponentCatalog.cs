using System.Reflection;

namespace Sr.MLNet;

/// <summary>
/// Maps loader signatures to factories so <c>sr.Model.Load</c> can rebuild transformers — SrMlNet's and anyone's
/// (ML.NET's equivalent is internal). Each <see cref="SrContext"/> starts with SrMlNet's own transformers registered.
/// </summary>
public sealed class ComponentCatalog
{
    private readonly Dictionary<string, Func<ModelLoadContext, ITransformer>> _factories = new(StringComparer.Ordinal);

    internal ComponentCatalog() => RegisterAssembly(typeof(ComponentCatalog).Assembly);

    public IReadOnlyCollection<string> LoaderSignatures => _factories.Keys;

    public void Register(string loaderSignature, Func<ModelLoadContext, ITransformer> create)
    {
        VersionInfo.CheckAscii(loaderSignature, 24, nameof(loaderSignature));
        ArgumentNullException.ThrowIfNull(create);
        _factories[loaderSignature] = create;
    }

    public void Register<T>() where T : ITransformer, ILoadableTransformer<T> =>
        Register(T.LoaderSignature, ctx => T.Create(ctx));

    /// <summary>Registers every non-abstract type of <paramref name="assembly"/> that implements <see cref="ILoadableTransformer{TSelf}"/>.</summary>
    public void RegisterAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var register = typeof(ComponentCatalog).GetMethod(nameof(Register), 1, Type.EmptyTypes)!;
        foreach (var type in assembly.GetTypes())
        {
            if (type.IsAbstract || type.IsGenericTypeDefinition) continue;
            if (type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ILoadableTransformer<>) && i.GetGenericArguments()[0] == type))
                register.MakeGenericMethod(type).Invoke(this, null);
        }
    }

    internal ITransformer Create(ModelLoadContext ctx)
    {
        if (!_factories.TryGetValue(ctx.LoaderSignature, out var create))
            throw ctx.Error($"{ctx.Directory} needs the transformer '{ctx.LoaderSignature}', which is not registered. " +
                "Register it with SrContext.ComponentCatalog.Register<T>() or RegisterAssembly(...) before loading.");
        return create(ctx);
    }
}
