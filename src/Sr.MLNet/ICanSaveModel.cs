namespace Sr.MLNet;

/// <summary>Something that writes itself into a model zip (ML.NET's <c>ICanSaveModel</c>, with a public context).</summary>
public interface ICanSaveModel
{
    void Save(ModelSaveContext ctx);
}
