namespace Sr.MLNet;

/// <summary>Columns "Name" (file name without extension) and "Path" (full path) of a list of files, listed when the first cursor is made.</summary>
internal sealed class FileListDataView(Func<IReadOnlyList<string>> list) : IndexedDataView
{
    private IReadOnlyList<string>? _files;
    private readonly Lock _lock = new();

    public static readonly DataViewSchema FileSchema = new DataViewSchema.Builder()
        .AddColumn("Name", TextDataViewType.Instance)
        .AddColumn("Path", TextDataViewType.Instance)
        .ToSchema();

    public override DataViewSchema Schema => FileSchema;

    private IReadOnlyList<string> Files
    {
        get
        {
            lock (_lock) return _files ??= list();
        }
    }

    protected override long Count => Files.Count;

    protected override Delegate MakeGetter(int column, Func<long> row) => column == 0
        ? (ValueGetter<string>)((ref string v) => v = Path.GetFileNameWithoutExtension(Files[(int)row()]))
        : (ValueGetter<string>)((ref string v) => v = Files[(int)row()]);
}
