namespace Sr.Models.Registry;

/// <summary>
/// How a registered network trains in the shared <see cref="Training.Trainer"/> loop: the step a
/// <see cref="Training.TrainingSession"/> builds for it.
/// </summary>
public enum TrainingMethod
{
    /// <summary>One network, the recipe's optimizer and its <see cref="Training.ITrainingObjective"/> (pixel loss, RSRNet's
    /// synchronous reduction, LSP-HSP's boundary term): <see cref="Training.ObjectiveStep"/>.</summary>
    Objective,

    /// <summary>SPSR's adversarial training (generator, discriminators, frozen VGG19/NSE) with <see cref="Spsr.SpsrOptions"/>
    /// settings: <see cref="Spsr.SpsrGanStep"/>.</summary>
    SpsrGan,
}
