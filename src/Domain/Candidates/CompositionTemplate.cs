using DarwinGrid.Domain.Elements;

namespace DarwinGrid.Domain.Candidates;

/// <summary>
/// A composition template such as <c>{A}2{B}{X}4</c>, <c>Ba{1-x}Sr{x}TiO3</c> or <c>A2BX4</c>; the
/// syntax is described in <c>TEMPLATE-SYNTAX.md</c> beside this file. Whether a brace holds a site or
/// an amount is decided by the spec's definitions: a brace whose content is exactly a site name is
/// that site, any other brace is an amount expression over the doping variables.
/// </summary>
public sealed class CompositionTemplate
{
    private CompositionTemplate(string text, IReadOnlyList<TemplateTerm> terms)
    {
        Text = text;
        Terms = terms;
    }

    public string Text { get; }

    /// <summary>The elements and sites in template order (an element or site may appear more than once).</summary>
    public IReadOnlyList<TemplateTerm> Terms { get; }

    /// <exception cref="CandidateSpecException">The template is malformed or uses an undefined name; the message says which and where.</exception>
    public static CompositionTemplate Parse(string text, IReadOnlyList<string> siteNames, IReadOnlyList<string> variableNames)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
            throw new CandidateSpecException("The template is empty; write one such as '{A}2{B}{X}4'.");
        var sites = siteNames.Select((name, index) => (name, index)).ToDictionary(p => p.name, p => p.index, StringComparer.Ordinal);
        var variables = variableNames.Select((name, index) => (name, index)).ToDictionary(p => p.name, p => p.index, StringComparer.Ordinal);
        var reader = new Reader(text, sites, variables);
        var terms = reader.Sequence(closing: false);
        return new CompositionTemplate(text, terms);
    }

    public override string ToString() => Text;

    private sealed class Reader(string text, IReadOnlyDictionary<string, int> sites, IReadOnlyDictionary<string, int> variables)
    {
        private readonly IReadOnlySet<string> _siteNames = sites.Keys.ToHashSet(StringComparer.Ordinal);
        private int _position;

        public List<TemplateTerm> Sequence(bool closing)
        {
            var terms = new List<TemplateTerm>();
            var start = _position;
            while (true)
            {
                SkipSpaces();
                if (_position >= text.Length)
                {
                    if (closing)
                        throw Error(start - 1, "'(' is never closed");
                    break;
                }
                var c = text[_position];
                if (c == ')')
                {
                    if (!closing)
                        throw Error(_position, "')' has no matching '('");
                    break;
                }
                if (c == '(')
                {
                    var open = _position++;
                    var inner = Sequence(closing: true);
                    _position++; // the ')'
                    if (inner.Count == 0)
                        throw Error(open, "the brackets are empty");
                    var multiplier = ReadAmount("the bracket");
                    terms.AddRange(multiplier is null
                        ? inner
                        : inner.Select(t => t with { Amount = new AmountExpression.Binary('*', t.Amount, multiplier) }));
                    continue;
                }
                var term = ReadUnit();
                var amount = ReadAmount(term.IsSite ? $"site {{{term.SiteName}}}" : term.Element!.Symbol);
                terms.Add(amount is null ? term : term with { Amount = amount });
            }
            if (!closing && terms.Count == 0)
                throw Error(0, "it holds no element or site");
            return terms;
        }

        private TemplateTerm ReadUnit()
        {
            var start = _position;
            var c = text[_position];
            if (c == '{')
            {
                var (content, end) = BraceContent();
                if (sites.TryGetValue(content, out var index))
                {
                    _position = end + 1;
                    return Site(content, index);
                }
                if (variables.ContainsKey(content) || content.Any(ch => !char.IsAsciiLetterOrDigit(ch) && ch != '_'))
                    throw Error(start, $"the amount '{{{content}}}' follows no element or site");
                throw Error(start, $"placeholder '{{{content}}}' is not defined; add a clause such as '{content}=Li,Na' (a site) or '{content}=0..1:0.1' (a variable)");
            }
            if (char.IsAsciiLetterUpper(c))
            {
                var length = _position + 1 < text.Length && char.IsAsciiLetterLower(text[_position + 1]) ? 2 : 1;
                var token = text.Substring(_position, length);
                _position += length;
                var isElement = PeriodicTable.TryGetBySymbol(token, out var element);
                if (sites.TryGetValue(token, out var index))
                {
                    if (isElement)
                        throw Error(start, $"'{token}' is both the element {element!.Name} and a site name; write the site as {{{token}}} (a bare '{token}' stays ambiguous)");
                    return Site(token, index);
                }
                if (isElement)
                    return new TemplateTerm(element, -1, null, One);
                throw Error(start, $"'{token}' is neither an element symbol nor a defined site; define it (e.g. '{token}=Li,Na') or check the spelling (symbols are case-sensitive)");
            }
            if (char.IsAsciiDigit(c))
                throw Error(start, "a number must follow an element, site or ')'");
            throw Error(start, $"unexpected '{c}'");
        }

        /// <summary>An optional amount after a unit: a plain number or a brace that is not a site.</summary>
        private AmountExpression? ReadAmount(string owner)
        {
            if (_position >= text.Length)
                return null;
            var start = _position;
            var c = text[_position];
            AmountExpression amount;
            if (char.IsAsciiDigit(c))
            {
                try
                {
                    _position = AmountExpressionParser.ReadNumber(text, _position, out var value);
                    amount = new AmountExpression.Constant(value);
                }
                catch (OverflowException e)
                {
                    throw Error(start, $"the amount of {owner} {e.Message}");
                }
            }
            else if (c == '{')
            {
                var (content, end) = BraceContent();
                if (sites.ContainsKey(content))
                    return null;
                amount = AmountExpressionParser.Parse(text, _position + 1, end, variables, _siteNames);
                _position = end + 1;
            }
            else
            {
                return null;
            }
            if (amount.IsConstant && amount.Evaluate([]).Sign <= 0)
                throw Error(start, $"the amount of {owner} is {amount.Evaluate([])}; amounts must be positive");
            return amount;
        }

        private (string Content, int End) BraceContent()
        {
            var end = text.IndexOf('}', _position + 1);
            if (end < 0)
                throw Error(_position, "'{' is never closed");
            var nested = text.IndexOf('{', _position + 1, end - _position - 1);
            if (nested >= 0)
                throw Error(nested, "braces cannot be nested; use ( ) inside an amount");
            return (text[(_position + 1)..end].Trim(), end);
        }

        private static TemplateTerm Site(string name, int index) => new(null, index, name, One);

        private static readonly AmountExpression One = new AmountExpression.Constant(Rational.One);

        private void SkipSpaces()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
                _position++;
        }

        private CandidateSpecException Error(int position, string problem) =>
            new($"Template '{text}', position {position + 1}: {problem}.");
    }
}
