using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sr.MLNet;

/// <summary>
/// The <c>Schema</c> entry of a model zip (ML.NET writes a binary empty data view; SrMlNet writes JSON):
/// [{ "Name", "Type": "String|Single|Double|Int32|Int64|Boolean|Image|Vector", "Height", "Width", "ItemType",
///    "Dimensions", "Annotations": { kind: value } }].
/// </summary>
internal static class SchemaJson
{
    public static string Write(DataViewSchema schema)
    {
        var arr = new JsonArray();
        foreach (var c in schema)
        {
            var o = new JsonObject { ["Name"] = c.Name };
            switch (c.Type)
            {
                case ImageDataViewType i:
                    o["Type"] = "Image";
                    o["Height"] = i.Height;
                    o["Width"] = i.Width;
                    break;
                case VectorDataViewType v:
                    o["Type"] = "Vector";
                    o["ItemType"] = v.ItemType.ToString();
                    o["Dimensions"] = new JsonArray(v.Dimensions.Select(d => (JsonNode)d).ToArray());
                    break;
                case TextDataViewType or NumberDataViewType or BooleanDataViewType:
                    o["Type"] = c.Type.ToString();
                    break;
                default:
                    throw new NotSupportedException($"Column '{c.Name}' has type {c.Type}, which a model zip's schema cannot record.");
            }
            var ann = new JsonObject();
            foreach (var kind in c.Annotations.Kinds)
            {
                if (c.Annotations.TryGetValue<string>(kind, out var s)) ann[kind] = s;
                else if (c.Annotations.TryGetValue<int>(kind, out var n)) ann[kind] = n;
                else if (c.Annotations.TryGetValue<double>(kind, out var d)) ann[kind] = d;
                else if (c.Annotations.TryGetValue<bool>(kind, out var b)) ann[kind] = b;
            }
            if (ann.Count > 0) o["Annotations"] = ann;
            arr.Add(o);
        }
        return arr.ToJsonString(ModelJson.Options);
    }

    public static DataViewSchema Read(string json, Func<string, Exception> fail)
    {
        try
        {
            var b = new DataViewSchema.Builder();
            foreach (var node in JsonNode.Parse(json)?.AsArray() ?? throw fail("the Schema entry is empty"))
            {
                var o = node?.AsObject() ?? throw fail("the Schema entry has a null column");
                var name = (string?)o["Name"] ?? throw fail("a Schema column has no name");
                var typeName = (string?)o["Type"];
                DataViewType type = typeName switch
                {
                    "String" => TextDataViewType.Instance,
                    "Single" => NumberDataViewType.Single,
                    "Double" => NumberDataViewType.Double,
                    "Int32" => NumberDataViewType.Int32,
                    "Int64" => NumberDataViewType.Int64,
                    "Boolean" => BooleanDataViewType.Instance,
                    "Image" => new ImageDataViewType((int?)o["Height"] ?? 0, (int?)o["Width"] ?? 0),
                    "Vector" => new VectorDataViewType((string?)o["ItemType"] switch
                    {
                        "Double" => NumberDataViewType.Double,
                        "Int32" => NumberDataViewType.Int32,
                        "Int64" => NumberDataViewType.Int64,
                        _ => NumberDataViewType.Single,
                    }, o["Dimensions"]?.AsArray().Select(d => (int)d!).ToArray() ?? []),
                    _ => throw fail($"Schema column '{name}' has unknown type '{typeName}'"),
                };
                var ab = new DataViewSchema.Annotations.Builder();
                if (o["Annotations"] is JsonObject ann)
                {
                    foreach (var (k, v) in ann)
                    {
                        if (v is null) continue;
                        switch (v.GetValueKind())
                        {
                            case JsonValueKind.String: ab.AddPrimitiveValue(k, TextDataViewType.Instance, (string)v!); break;
                            case JsonValueKind.True or JsonValueKind.False: ab.AddPrimitiveValue(k, BooleanDataViewType.Instance, (bool)v!); break;
                            case JsonValueKind.Number when v.AsValue().TryGetValue<int>(out var n): ab.AddPrimitiveValue(k, NumberDataViewType.Int32, n); break;
                            case JsonValueKind.Number: ab.AddPrimitiveValue(k, NumberDataViewType.Double, (double)v!); break;
                        }
                    }
                }
                b.AddColumn(name, type, ab.ToAnnotations());
            }
            return b.ToSchema();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw fail($"the Schema entry does not parse ({e.Message})");
        }
    }
}
