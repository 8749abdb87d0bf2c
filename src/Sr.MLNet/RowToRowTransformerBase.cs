namespace Sr.MLNet;

/// <summary>
/// The base of transformers that add columns computed from the same row (ML.NET's <c>RowToRowTransformerBase</c>, whose
/// members are not open to outsiders; these are). The output schema is the input's plus <see cref="GetOutputColumns"/>
/// (an output named like an input hides it). <see cref="Transform"/> is lazy: a getter made by
/// <see cref="CreateGetter"/> runs only when a cursor reads its column.
/// </summary>
public abstract class RowToRowTransformerBase : ITransformer
{
    public bool IsRowToRowMapper => true;

    /// <summary>Checks the input columns (throwing <see cref="SchemaErrors"/>) and declares the output columns.</summary>
    protected abstract DataViewSchema.DetachedColumn[] GetOutputColumns(DataViewSchema inputSchema);

    /// <summary>The input columns the outputs read (activated in the input cursor whenever an output is active).</summary>
    protected abstract IEnumerable<string> GetInputColumnNames();

    /// <summary>
    /// A <see cref="ValueGetter{TValue}"/> of output <paramref name="outputIndex"/> whose TValue is the output type's raw
    /// type, reading <paramref name="input"/>'s current row. Called once per cursor and column.
    /// </summary>
    protected abstract Delegate CreateGetter(DataViewRow input, int outputIndex);

    public abstract void Save(ModelSaveContext ctx);

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new DataViewSchema.Builder().AddColumns(inputSchema).AddColumns(GetOutputColumns(inputSchema)).ToSchema();
    }

    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new MappedDataView(input, this, GetOutputSchema(input.Schema));
    }

    private sealed class MappedDataView(IDataView input, RowToRowTransformerBase transformer, DataViewSchema schema) : IDataView
    {
        public bool CanShuffle => input.CanShuffle;
        public DataViewSchema Schema => schema;
        public long? GetRowCount() => input.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        {
            ArgumentNullException.ThrowIfNull(columnsNeeded);
            var active = columnsNeeded.Select(c => c.Index).ToHashSet();
            int nIn = input.Schema.Count;
            var inputNeeded = active.Where(i => i < nIn).ToHashSet();
            if (active.Any(i => i >= nIn))
                foreach (var name in transformer.GetInputColumnNames()) inputNeeded.Add(input.Schema[name].Index);
            var cursor = input.GetRowCursor(inputNeeded.Select(i => input.Schema[i]), rand);
            return new Cursor(cursor, transformer, schema, active, nIn);
        }

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
            [GetRowCursor(columnsNeeded, rand)];
    }

    private sealed class Cursor(DataViewRowCursor input, RowToRowTransformerBase transformer, DataViewSchema schema, HashSet<int> active, int nIn) : DataViewRowCursor
    {
        private readonly Delegate?[] _getters = new Delegate?[schema.Count - nIn];

        public override long Position => input.Position;
        public override long Batch => input.Batch;
        public override DataViewSchema Schema => schema;
        public override bool MoveNext() => input.MoveNext();
        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);
        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column)) throw Values.Inactive(column);
            var c = schema[column.Index];
            Values.CheckGetterType<TValue>(c);
            if (c.Index < nIn) return input.GetGetter<TValue>(input.Schema[c.Index]);
            int j = c.Index - nIn;
            var g = _getters[j] ??= transformer.CreateGetter(input, j);
            return g as ValueGetter<TValue> ?? throw new InvalidOperationException(
                $"{transformer.GetType().Name}.CreateGetter returned a {g.GetType().Name} for column '{c.Name}', not a ValueGetter<{typeof(TValue).Name}>.");
        }

        protected override void Dispose(bool disposing)
        {
            if (!disposing) return;
            foreach (var g in _getters) (g?.Target as IDisposable)?.Dispose();
            input.Dispose();
        }
    }
}
