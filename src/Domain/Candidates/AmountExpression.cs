namespace DarwinGrid.Domain.Candidates;

/// <summary>
/// The amount of one template term: a number (<c>2</c>, <c>0.5</c>) or arithmetic over doping
/// variables (<c>1-x</c>, <c>2*x</c>, <c>(1-x)/2</c>), evaluated exactly.
/// </summary>
public abstract record AmountExpression
{
    /// <param name="variableValues">The current value of each variable, indexed like the spec's variables.</param>
    public abstract Rational Evaluate(ReadOnlySpan<Rational> variableValues);

    /// <summary>True when the expression uses no variable (so its value is known once).</summary>
    public abstract bool IsConstant { get; }

    public sealed record Constant(Rational Value) : AmountExpression
    {
        public override Rational Evaluate(ReadOnlySpan<Rational> variableValues) => Value;
        public override bool IsConstant => true;
        public override string ToString() => Value.ToString();
    }

    public sealed record Variable(int Index, string Name) : AmountExpression
    {
        public override Rational Evaluate(ReadOnlySpan<Rational> variableValues) => variableValues[Index];
        public override bool IsConstant => false;
        public override string ToString() => Name;
    }

    public sealed record Negation(AmountExpression Operand) : AmountExpression
    {
        public override Rational Evaluate(ReadOnlySpan<Rational> variableValues) => -Operand.Evaluate(variableValues);
        public override bool IsConstant => Operand.IsConstant;
        public override string ToString() => $"-{Operand}";
    }

    public sealed record Binary(char Operator, AmountExpression Left, AmountExpression Right) : AmountExpression
    {
        public override Rational Evaluate(ReadOnlySpan<Rational> variableValues)
        {
            var left = Left.Evaluate(variableValues);
            var right = Right.Evaluate(variableValues);
            return Operator switch
            {
                '+' => left + right,
                '-' => left - right,
                '*' => left * right,
                '/' => left / right,
                _ => throw new InvalidOperationException($"Unknown operator '{Operator}'."),
            };
        }

        public override bool IsConstant => Left.IsConstant && Right.IsConstant;
        public override string ToString() => $"({Left}{Operator}{Right})";
    }
}
