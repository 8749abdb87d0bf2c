// SPSR-P/-J (Ma et al., TPAMI 2021, §4.2): the neural structure extractors, by the names `sr train` knows them.
namespace Sr.Models.Spsr;

/// <summary>
/// A neural structure extractor that <see cref="StructureLearning"/> trains by its self-supervised <see cref="Task"/>. Not an
/// SR network (image → structure features), so it is not in the model registry; <see cref="StructureLearning.Extractors"/>
/// lists them.
/// </summary>
public sealed record StructureExtractorInfo(string Name, StructureLearningTask Task, string Description)
{
    /// <summary>The paper's settings for the task (jigsaw: lr 1e-4; contrastive prediction: the defaults).</summary>
    public StructureLearningOptions PaperOptions => Task == StructureLearningTask.Jigsaw ? StructureLearningOptions.PaperJigsaw : new StructureLearningOptions();
}
