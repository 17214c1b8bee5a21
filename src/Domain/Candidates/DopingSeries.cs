using System.Globalization;

namespace DarwinGrid.Domain.Candidates;

/// <summary>
/// A doping variable (<c>x</c> in <c>Ba{1-x}Sr{x}TiO3</c>) running from <see cref="From"/> to
/// <see cref="To"/> in steps of <see cref="Step"/>: From, From+Step, … up to and including the last
/// value ≤ To (so 0..0.5:0.2 gives 0, 0.2, 0.4). Decimal, so 0.1 steps land exactly on 0.5.
/// A single value is From = To (the step is then ignored).
/// </summary>
public sealed record DopingSeries(string Name, decimal From, decimal To, decimal Step)
{
    /// <summary>Most values one variable may take; beyond this the spec is almost surely a typo.</summary>
    public const long MaxValues = 1_000_000;

    public static DopingSeries Single(string name, decimal value) => new(name, value, value, 1);

    /// <summary>How many values the series has.</summary>
    /// <exception cref="CandidateSpecException">To &lt; From, a step that is not positive, or more than <see cref="MaxValues"/> values.</exception>
    public long Count
    {
        get
        {
            if (From == To)
                return 1;
            if (To < From)
                throw new CandidateSpecException($"Variable '{Name}': the range {Format(From)}..{Format(To)} runs backwards; write the smaller value first.");
            if (Step <= 0)
                throw new CandidateSpecException($"Variable '{Name}': the step {Format(Step)} must be positive.");
            var steps = decimal.Floor((To - From) / Step);
            if (steps >= MaxValues)
                throw new CandidateSpecException(
                    $"Variable '{Name}': {Format(From)}..{Format(To)} in steps of {Format(Step)} gives more than {MaxValues:N0} values; use a larger step.");
            return (long)steps + 1;
        }
    }

    /// <summary>The values in ascending order, exact.</summary>
    public IEnumerable<Rational> Values()
    {
        var count = Count;
        var from = Rational.FromDecimal(From);
        var step = Rational.FromDecimal(From == To ? 1 : Step);
        for (long i = 0; i < count; i++)
            yield return from + Rational.FromInteger(i) * step;
    }

    public override string ToString() =>
        From == To ? $"{Name}={Format(From)}" : $"{Name}={Format(From)}..{Format(To)}:{Format(Step)}";

    private static string Format(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);
}
