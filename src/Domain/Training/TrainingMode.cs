namespace DarwinGrid.Domain.Training;

/// <summary>
/// How a run changes the weights: every tensor (full fine-tuning), or a LoRA adapter over a frozen
/// base. One enum for the trainer, the grain API and the CLI; the grain API stores it by number, so
/// the values stay as they are.
/// </summary>
public enum TrainingMode
{
    Full = 0,
    Lora = 1,
}
