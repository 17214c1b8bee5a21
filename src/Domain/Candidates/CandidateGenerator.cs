using DarwinGrid.Domain.Compositions;
using DarwinGrid.Domain.Elements;

namespace DarwinGrid.Domain.Candidates;

/// <summary>
/// Enumerates the compositions of a <see cref="CandidateGenerationSpec"/> lazily: every choice of one
/// element per site and one value per doping variable, in odometer order (the first site changes
/// slowest, the last variable fastest), skipping choices that repeat an element when
/// <see cref="CandidateGenerationSpec.DistinctElements"/> is set, that cannot be charge-balanced when
/// <see cref="CandidateGenerationSpec.RequireChargeNeutral"/> is set, and compositions already produced
/// (same canonical formula).
/// <para>
/// Memory: the enumeration holds a few small buffers, never the space. De-duplication needs a set of the
/// canonical formulas produced so far, but only when the spec can produce the same composition twice
/// (<see cref="NeedsDeduplicationSet"/>: sites sharing elements, a site element also written in the
/// template, or doping variables). That set costs about 60 + 2 × (formula length) bytes per distinct
/// candidate (string plus hash-set entry; measured 85 B for 14-character formulas), i.e. ~85 MB per
/// million; pairwise disjoint sites need none.
/// </para>
/// Thread-safe: each <see cref="Generate"/> or <see cref="Count"/> call has its own state.
/// </summary>
public sealed class CandidateGenerator
{
    /// <summary>Up to this many doping-variable combinations, every amount is checked when the generator is built.</summary>
    private const long EagerAmountCheckLimit = 100_000;

    private readonly int[][] _siteAtomicNumbers;
    // The template's terms unpacked for the hot loop: site index or -1, fixed element, and the amount
    // (precomputed when it uses no variable, otherwise the expression to evaluate).
    private readonly TemplateTerm[] _terms;
    private readonly Rational[] _constantAmounts;
    private readonly bool[] _isConstant;
    private readonly Rational[][] _variableValues;
    private readonly bool[] _isLiteral;
    private readonly ChargeNeutrality? _neutrality;

    /// <param name="chargeNeutrality">Oxidation states for the neutrality filter; required when the spec asks for it.</param>
    /// <exception cref="CandidateSpecException">The spec is invalid; the message names the problem.</exception>
    public CandidateGenerator(CandidateGenerationSpec spec, ChargeNeutrality? chargeNeutrality = null)
    {
        Template = CandidateSpecValidator.Validate(spec);
        if (spec.RequireChargeNeutral && chargeNeutrality is null)
            throw new ArgumentException("The spec asks for charge-neutral candidates; pass the oxidation states (ChargeNeutrality.FromMagpie).", nameof(chargeNeutrality));
        Spec = spec;
        _neutrality = spec.RequireChargeNeutral ? chargeNeutrality : null;
        // A site lists each element once: a repeat would only produce duplicates.
        _siteAtomicNumbers = spec.Sites.Select(s => s.Elements.Select(e => e.AtomicNumber).Distinct().ToArray()).ToArray();
        _variableValues = spec.Variables.Select(v => v.Values().ToArray()).ToArray();
        _terms = [.. Template.Terms];
        _isConstant = Array.ConvertAll(_terms, t => t.Amount.IsConstant);
        _constantAmounts = Array.ConvertAll(_terms, t => t.Amount.IsConstant ? t.Amount.Evaluate([]) : Rational.Zero);
        _isLiteral = new bool[PeriodicTable.ElementCount + 1];
        foreach (var term in Template.Terms.Where(t => !t.IsSite))
            _isLiteral[term.Element!.AtomicNumber] = true;
        NeedsDeduplicationSet = CanRepeat();

        var combinations = _variableValues.Aggregate(1L, (product, values) => SaturatingMultiply(product, values.Length));
        if (combinations <= EagerAmountCheckLimit)
            CheckAllAmounts();
    }

    public CandidateGenerationSpec Spec { get; }

    public CompositionTemplate Template { get; }

    /// <summary>Whether de-duplication must remember the formulas produced (see the memory note on the class).</summary>
    public bool NeedsDeduplicationSet { get; }

    /// <summary>
    /// An upper bound on the number of candidates, in O(sites + variables): the size of the unfiltered space
    /// (product of the site set sizes and variable value counts), capped by the limit. Exact when no filter
    /// removes anything (no neutrality, no distinct rule, no duplicates); <see cref="long.MaxValue"/> means "at least that".
    /// </summary>
    public long CountUpperBound()
    {
        var product = RawSpaceSize();
        return Spec.Limit is { } limit ? Math.Min(product, limit) : product;
    }

    /// <summary>The number of choices in the unfiltered space (saturating at <see cref="long.MaxValue"/>).</summary>
    public long RawSpaceSize()
    {
        var product = 1L;
        foreach (var site in _siteAtomicNumbers)
            product = SaturatingMultiply(product, site.Length);
        foreach (var values in _variableValues)
            product = SaturatingMultiply(product, values.Length);
        return product;
    }

    /// <summary>
    /// The exact number of candidates <see cref="Generate"/> yields, by walking the space without keeping it:
    /// time linear in the raw space; memory constant unless <see cref="NeedsDeduplicationSet"/>. Canonical
    /// formulas are only built when de-duplication needs them, so counting is several times faster than generating.
    /// </summary>
    public long Count(CancellationToken cancellationToken = default)
    {
        var limit = Spec.Limit ?? long.MaxValue;
        var cursor = new Cursor(this);
        var seen = NeedsDeduplicationSet ? new HashSet<string>(StringComparer.Ordinal) : null;
        long count = 0;
        while (count < limit && cursor.MoveNext(cancellationToken))
        {
            if (seen is null || seen.Add(cursor.BuildComposition().CanonicalFormula))
                count++;
        }
        return count;
    }

    /// <summary>The candidates, lazily, in odometer order; stops at the spec's limit.</summary>
    /// <exception cref="CandidateSpecException">While enumerating: an amount became negative or divided by zero for some variable values
    /// (checked up front when there are at most 100,000 variable combinations).</exception>
    public IEnumerable<GeneratedCandidate> Generate(CancellationToken cancellationToken = default)
    {
        var limit = Spec.Limit ?? long.MaxValue;
        var cursor = new Cursor(this);
        var seen = NeedsDeduplicationSet ? new HashSet<string>(StringComparer.Ordinal) : null;
        long produced = 0;
        while (produced < limit && cursor.MoveNext(cancellationToken))
        {
            var composition = cursor.BuildComposition();
            if (seen is not null && !seen.Add(composition.CanonicalFormula))
                continue;
            produced++;
            yield return new GeneratedCandidate(composition, cursor.CurrentSiteElements(), cursor.CurrentVariableValues(), cursor.RawIndex);
        }
    }

    /// <summary>
    /// Whether two different choices can give one composition. With pairwise disjoint site sets, none
    /// meeting a template element, and fixed amounts, the composition's elements tell which element each
    /// site took, so every choice is a different composition.
    /// </summary>
    private bool CanRepeat()
    {
        if (_variableValues.Length > 0)
            return true;
        var owner = new int[PeriodicTable.ElementCount + 1];
        for (var site = 0; site < _siteAtomicNumbers.Length; site++)
        {
            foreach (var z in _siteAtomicNumbers[site])
            {
                if (_isLiteral[z] || owner[z] != 0)
                    return true;
                owner[z] = site + 1;
            }
        }
        return false;
    }

    private void CheckAllAmounts()
    {
        if (_variableValues.Length == 0)
            return;
        var digits = new int[_variableValues.Length];
        var values = new Rational[_variableValues.Length];
        while (true)
        {
            for (var v = 0; v < values.Length; v++)
                values[v] = _variableValues[v][digits[v]];
            foreach (var term in Template.Terms)
                EvaluateAmount(term, values);
            var position = digits.Length - 1;
            while (position >= 0 && ++digits[position] == _variableValues[position].Length)
                digits[position--] = 0;
            if (position < 0)
                return;
        }
    }

    private Rational EvaluateAmount(TemplateTerm term, ReadOnlySpan<Rational> variableValues)
    {
        Rational amount;
        try
        {
            amount = term.Amount.Evaluate(variableValues);
        }
        catch (Exception e) when (e is DivideByZeroException or OverflowException)
        {
            throw new CandidateSpecException($"Template '{Template.Text}': the amount {term.Amount} of {Describe(term)} cannot be computed at {DescribeValues(variableValues)} ({e.Message}).");
        }
        if (amount.Sign < 0)
            throw new CandidateSpecException($"Template '{Template.Text}': the amount {term.Amount} of {Describe(term)} is {amount} (negative) at {DescribeValues(variableValues)}; narrow the variable's range.");
        return amount;
    }

    private static string Describe(TemplateTerm term) => term.IsSite ? $"site {{{term.SiteName}}}" : term.Element!.Symbol;

    private string DescribeValues(ReadOnlySpan<Rational> values)
    {
        var parts = new string[values.Length];
        for (var i = 0; i < values.Length; i++)
            parts[i] = $"{Spec.Variables[i].Name}={values[i]}";
        return string.Join(", ", parts);
    }

    private static long SaturatingMultiply(long a, long b) =>
        b != 0 && a > long.MaxValue / b ? long.MaxValue : a * b;

    /// <summary>One walk over the raw space: the current choice and the composition it gives, merged per element.</summary>
    private sealed class Cursor
    {
        private readonly CandidateGenerator _generator;
        private readonly int[] _digits;
        private readonly int[] _radices;
        private readonly Rational[] _variables;
        private readonly int[] _atomicNumbers;
        private readonly Rational[] _amounts;
        private readonly long[] _weights;
        private readonly int[] _states;
        private int _elementCount;
        private bool _started;

        public Cursor(CandidateGenerator generator)
        {
            _generator = generator;
            _radices = [.. generator._siteAtomicNumbers.Select(s => s.Length), .. generator._variableValues.Select(v => v.Length)];
            _digits = new int[_radices.Length];
            _variables = new Rational[generator._variableValues.Length];
            var terms = generator.Template.Terms.Count;
            _atomicNumbers = new int[terms];
            _amounts = new Rational[terms];
            _weights = new long[terms];
            _states = new int[terms];
        }

        public long RawIndex { get; private set; } = -1;

        public bool MoveNext(CancellationToken cancellationToken)
        {
            while (Advance())
            {
                if ((RawIndex & 0x3FFF) == 0)
                    cancellationToken.ThrowIfCancellationRequested();
                if (Accept())
                    return true;
            }
            return false;
        }

        public Composition BuildComposition()
        {
            var amounts = new ElementAmount[_elementCount];
            for (var i = 0; i < _elementCount; i++)
                amounts[i] = new ElementAmount(PeriodicTable.ByAtomicNumber(_atomicNumbers[i]), _amounts[i].ToDouble());
            return Composition.FromAmounts(amounts);
        }

        public IReadOnlyList<Element> CurrentSiteElements()
        {
            var sites = _generator._siteAtomicNumbers;
            var elements = new Element[sites.Length];
            for (var s = 0; s < sites.Length; s++)
                elements[s] = PeriodicTable.ByAtomicNumber(sites[s][_digits[s]]);
            return elements;
        }

        public IReadOnlyList<Rational> CurrentVariableValues() => [.. _variables];

        private bool Advance()
        {
            if (!_started)
            {
                _started = true;
                RawIndex = 0;
                return Array.TrueForAll(_radices, r => r > 0);
            }
            for (var position = _digits.Length - 1; position >= 0; position--)
            {
                if (++_digits[position] < _radices[position])
                {
                    RawIndex++;
                    return true;
                }
                _digits[position] = 0;
            }
            return false;
        }

        private bool Accept()
        {
            var generator = _generator;
            var sites = generator._siteAtomicNumbers;
            if (generator.Spec.DistinctElements && !SitesDistinct(sites))
                return false;
            for (var v = 0; v < _variables.Length; v++)
                _variables[v] = generator._variableValues[v][_digits[sites.Length + v]];

            _elementCount = 0;
            var terms = generator._terms;
            for (var t = 0; t < terms.Length; t++)
            {
                var term = terms[t];
                var amount = generator._isConstant[t] ? generator._constantAmounts[t] : generator.EvaluateAmount(term, _variables);
                if (amount.Sign == 0)
                    continue; // Sr{x} at x = 0: the element is absent.
                var z = term.IsSite ? sites[term.SiteIndex][_digits[term.SiteIndex]] : term.Element!.AtomicNumber;
                var index = Array.IndexOf(_atomicNumbers, z, 0, _elementCount);
                if (index >= 0)
                {
                    _amounts[index] += amount;
                }
                else
                {
                    _atomicNumbers[_elementCount] = z;
                    _amounts[_elementCount++] = amount;
                }
            }
            if (_elementCount == 0)
                return false;
            return generator._neutrality is not { } neutrality || IsNeutral(neutrality);
        }

        private bool SitesDistinct(int[][] sites)
        {
            for (var s = 0; s < sites.Length; s++)
            {
                var z = sites[s][_digits[s]];
                if (_generator._isLiteral[z])
                    return false;
                for (var other = 0; other < s; other++)
                {
                    if (sites[other][_digits[other]] == z)
                        return false;
                }
            }
            return true;
        }

        private bool IsNeutral(ChargeNeutrality neutrality)
        {
            var amounts = _amounts.AsSpan(0, _elementCount);
            var weights = _weights.AsSpan(0, _elementCount);
            if (!ChargeNeutrality.TryWholeWeights(amounts, weights))
                throw new CandidateSpecException(
                    $"Template '{_generator.Template.Text}': the amounts at {_generator.DescribeValues(_variables)} have too large a common denominator for the charge-neutrality check.");
            return neutrality.TryFindStates(_atomicNumbers.AsSpan(0, _elementCount), weights, _states.AsSpan(0, _elementCount));
        }
    }
}
