namespace DarwinGrid.Domain.Tasks;

/// <summary>What a task predicts: a number, a yes/no answer, or one of several named classes.</summary>
public enum TaskKind
{
    Regression,
    Binary,
    MultiClass,
}
