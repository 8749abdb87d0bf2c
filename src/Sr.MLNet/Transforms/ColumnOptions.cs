namespace Sr.MLNet;

/// <summary>Column-pair helpers shared by the transformers' save/load code.</summary>
internal static class ColumnOptions
{
    public static (string, string)[] Pairs(string[][]? columns, ModelLoadContext ctx)
    {
        if (columns is null || columns.Length == 0 || columns.Any(c => c is not { Length: 2 } || string.IsNullOrEmpty(c[0]) || string.IsNullOrEmpty(c[1])))
            throw ctx.Error($"{ctx.Directory}/Model.key has no valid column pairs");
        return columns.Select(c => (c[0], c[1])).ToArray();
    }

    public static string[][] Save(IReadOnlyList<(string outputColumnName, string inputColumnName)> pairs) =>
        pairs.Select(p => new[] { p.outputColumnName, p.inputColumnName }).ToArray();
}
