// SPSR-P/-J (Ma et al., TPAMI 2021, §4.2): the two self-supervised tasks that train a neural structure extractor.
namespace Sr.Models.Spsr;

public enum StructureLearningTask
{
    /// <summary>Contrastive prediction (InfoNCE) → NSE_P for SPSR-P.</summary>
    ContrastivePrediction,

    /// <summary>Jigsaw puzzles (24 permutations) → NSE_J for SPSR-J.</summary>
    Jigsaw,
}
