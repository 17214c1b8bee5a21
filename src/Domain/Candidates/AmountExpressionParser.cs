using System.Globalization;

namespace DarwinGrid.Domain.Candidates;

/// <summary>
/// Parses the inside of an amount brace: numbers, doping variables, <c>+ - * /</c> with the usual
/// precedence, unary minus and parentheses. Errors name the 1-based position in the whole template.
/// </summary>
internal sealed class AmountExpressionParser
{
    private readonly string _text;
    private readonly int _end;
    private readonly string _template;
    private readonly IReadOnlyDictionary<string, int> _variables;
    private readonly IReadOnlySet<string> _sites;
    private int _position;

    private AmountExpressionParser(string template, int start, int end, IReadOnlyDictionary<string, int> variables, IReadOnlySet<string> sites)
    {
        _template = template;
        _text = template;
        _position = start;
        _end = end;
        _variables = variables;
        _sites = sites;
    }

    /// <summary>Parses <c>template[start..end)</c> as one expression.</summary>
    public static AmountExpression Parse(string template, int start, int end,
        IReadOnlyDictionary<string, int> variables, IReadOnlySet<string> sites)
    {
        var parser = new AmountExpressionParser(template, start, end, variables, sites);
        parser.SkipSpaces();
        if (parser._position >= end)
            throw parser.Error(start, "the braces are empty; write a site name or an amount such as {1-x}");
        var expression = parser.Sum();
        parser.SkipSpaces();
        if (parser._position < end)
            throw parser.Error(parser._position, $"unexpected '{template[parser._position]}' in amount");
        return expression;
    }

    /// <summary>Reads a plain number (<c>2</c>, <c>0.5</c>, <c>.5</c> is refused) at <paramref name="start"/>; returns its end.</summary>
    public static int ReadNumber(string text, int start, out Rational value)
    {
        var position = start;
        while (position < text.Length && char.IsAsciiDigit(text[position]))
            position++;
        if (position < text.Length && text[position] == '.' && position + 1 < text.Length && char.IsAsciiDigit(text[position + 1]))
        {
            position++;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
                position++;
        }
        var digits = text.AsSpan(start, position - start);
        if (!decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            throw new OverflowException($"'{digits}' is too large");
        value = Rational.FromDecimal(number);
        return position;
    }

    private AmountExpression Sum()
    {
        var left = Product();
        while (TryTake('+', '-', out var op))
            left = new AmountExpression.Binary(op, left, Product());
        return left;
    }

    private AmountExpression Product()
    {
        var left = Factor();
        while (TryTake('*', '/', out var op))
            left = new AmountExpression.Binary(op, left, Factor());
        return left;
    }

    private AmountExpression Factor()
    {
        SkipSpaces();
        if (_position >= _end)
            throw Error(_position, "the amount ends where a number or variable is expected");
        var c = _text[_position];
        if (c == '-')
        {
            _position++;
            return new AmountExpression.Negation(Factor());
        }
        if (c == '(')
        {
            var open = _position++;
            var inner = Sum();
            SkipSpaces();
            if (_position >= _end || _text[_position] != ')')
                throw Error(open, "'(' is never closed");
            _position++;
            return inner;
        }
        if (char.IsAsciiDigit(c))
        {
            var start = _position;
            try
            {
                _position = ReadNumber(_text, _position, out var value);
                return new AmountExpression.Constant(value);
            }
            catch (OverflowException e)
            {
                throw Error(start, $"number {e.Message}");
            }
        }
        if (char.IsAsciiLetter(c))
        {
            var start = _position;
            while (_position < _end && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] == '_'))
                _position++;
            var name = _text[start.._position];
            if (_variables.TryGetValue(name, out var index))
                return new AmountExpression.Variable(index, name);
            if (_sites.Contains(name))
                throw Error(start, $"site '{name}' cannot be used inside an amount; only doping variables can");
            throw Error(start, $"'{name}' is not a defined variable; add a clause such as '{name}=0..0.5:0.1'");
        }
        throw Error(_position, $"unexpected '{c}' in amount");
    }

    private bool TryTake(char first, char second, out char taken)
    {
        SkipSpaces();
        taken = _position < _end ? _text[_position] : '\0';
        if (taken != first && taken != second)
            return false;
        _position++;
        return true;
    }

    private void SkipSpaces()
    {
        while (_position < _end && _text[_position] == ' ')
            _position++;
    }

    private CandidateSpecException Error(int position, string problem) =>
        new($"Template '{_template}', position {position + 1}: {problem}.");
}
