namespace DarwinGrid.Domain.Tasks;

/// <summary>The value a task predicts for one input: a number (regression) or a class.</summary>
public abstract record TargetValue
{
    private TargetValue() { }

    public sealed record Number(double Value) : TargetValue
    {
        public override string ToString() => Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A class by its index into <see cref="PropertyTask.Classes"/> and its name. For binary tasks
    /// index 1 is the positive class (yes / true / high).
    /// </summary>
    public sealed record Class(int Index, string Name) : TargetValue
    {
        public override string ToString() => Name;
    }

    public double AsNumber() => this is Number n
        ? n.Value
        : throw new InvalidOperationException($"Target '{this}' is a class, not a number.");

    public int AsClassIndex() => this is Class c
        ? c.Index
        : throw new InvalidOperationException($"Target '{this}' is a number, not a class.");
}
