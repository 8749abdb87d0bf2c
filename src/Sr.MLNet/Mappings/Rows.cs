using Microsoft.ML.Data;

namespace Sr.MLNet.Mappings;

// The row classes of SrMlNet's CustomMapping steps. Public because ML.NET builds the mappings of a loaded model by reflection.
#pragma warning disable CS1591

public sealed class NoColumns
{
}

public sealed class AnchorRow
{
    [ColumnName(SrColumns.Anchor)] public float Anchor { get; set; }
}

public sealed class SrImageRow
{
    [ColumnName(SrColumns.Input)] public SrImage? Input { get; set; }
}

public sealed class SrImageConfigRow
{
    [ColumnName(SrColumns.Input)] public SrImage? Input { get; set; }
    [ColumnName(SrColumns.Config)] public string Config { get; set; } = "";
}

public sealed class SrImageChromaRow
{
    [ColumnName(SrColumns.Input)] public SrImage? Input { get; set; }
    [ColumnName(SrColumns.Chroma)] public MLImage? Chroma { get; set; }
}

public sealed class PhotoRow
{
    [ColumnName(SrColumns.Input)] public MLImage? Input { get; set; }
}

public sealed class SrImageOutput
{
    [ColumnName(SrColumns.Output)] public SrImage? Output { get; set; }
}

public sealed class PhotoOutput
{
    [ColumnName(SrColumns.Output)] public MLImage? Output { get; set; }
}

/// <summary>The flat input of an SrMlNet ONNX network (ML.NET's OnnxTransformer takes one dynamic axis per input).</summary>
public sealed class FlatInput
{
    [ColumnName(SrColumns.Pixels), VectorType] public float[] Pixels { get; set; } = [];
    [ColumnName(SrColumns.Hw), VectorType(2)] public long[] Hw { get; set; } = new long[2];
}

public sealed class FlatResultRow
{
    [ColumnName(SrColumns.Input)] public SrImage? Input { get; set; }
    [ColumnName(SrColumns.Out), VectorType] public float[] Out { get; set; } = [];
    [ColumnName(SrColumns.OutHw), VectorType(2)] public long[] OutHw { get; set; } = new long[2];
}

public sealed class PhotoResultRow
{
    [ColumnName(SrColumns.Input)] public MLImage? Input { get; set; }
    [ColumnName(SrColumns.Out), VectorType] public float[] Out { get; set; } = [];
    [ColumnName(SrColumns.OutHw), VectorType(2)] public long[] OutHw { get; set; } = new long[2];
}
