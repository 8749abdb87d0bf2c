namespace Sr.MLNet;

/// <summary>
/// When a step of a fitted chain runs (ML.NET's <c>TransformerScope</c>): patch extraction and augmentation only while
/// training, synthetic degradation while training and testing (evaluation makes LR from HR), everything else always.
/// </summary>
[Flags]
public enum TransformerScope
{
    None = 0,
    Training = 1,
    Testing = 2,
    Scoring = 4,
    TrainTest = Training | Testing,
    Everything = Training | Testing | Scoring,
}
