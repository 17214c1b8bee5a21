namespace DarwinGrid.Training.Tokenization;

/// <summary>
/// Builds a SentencePiece-style (BPE, byte fallback) vocabulary in which chemistry stays legible:
/// every element symbol is one piece, digits are single pieces and never merge, and the frequent
/// words, punctuation runs and phrases of the corpus are single pieces.
/// </summary>
/// <remarks>
/// Both tokenizers merge the adjacent pair whose concatenation is the highest-scoring piece until
/// none is left. The pieces are laid out so that this greedy process provably ends with every
/// chosen word as one token, whatever the other pieces are:
/// <list type="number">
/// <item>Tier 1 (highest scores): two-letter element symbols and every prefix of the chosen
/// words without their leading <c>▁</c>. A word's first symbol is always a prefix of it, and a
/// prefix followed by the next symbol is a longer prefix, so the word always completes.</item>
/// <item>Tier 2: <c>▁</c> + word. Lower than all of tier 1, so the <c>▁</c> only attaches to a
/// finished word (never <c>▁S</c> + <c>n</c> instead of <c>▁</c> + <c>Sn</c>).</item>
/// <item>Tier 3 (lowest): phrases, concatenations of finished words.</item>
/// </list>
/// No piece other than a phrase spans two <see cref="PreTokenizer"/> units, words have no
/// upper-case letter after the first, and words that are element symbols get no <c>▁</c> form,
/// so a formula always splits into element symbols, digits and punctuation.
/// Scores are minus the piece id: unique, and decreasing tier by tier.
/// </remarks>
public static class VocabularyBuilder
{
    public const string UnknownPiece = "<unk>";
    public const string BosPiece = "<s>";
    public const string EosPiece = "</s>";

    public static Vocabulary Build(IEnumerable<string> corpusTexts, VocabularyBuilderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(corpusTexts);
        options = (options ?? new VocabularyBuilderOptions()).Validated();
        var texts = corpusTexts.Select(text => SentencePieceText.Escape(text)).ToArray();

        var (unitCounts, characterCounts) = Count(texts);
        var chosen = ChooseUnits(unitCounts, options);
        var symbolNames = new List<string>(chosen);
        var symbolIds = chosen.Select((unit, id) => (unit, id)).ToDictionary(x => x.unit, x => x.id, StringComparer.Ordinal);
        var segments = Segments(texts, symbolNames, symbolIds);
        var phrases = new PhraseLearner(symbolNames, segments).Learn(options.MaxPhrases, options.MinPhraseCount);

        var pieces = new PieceList();
        pieces.Add(UnknownPiece, TokenType.Unknown);
        pieces.Add(BosPiece, TokenType.Control);
        pieces.Add(EosPiece, TokenType.Control);
        for (var b = 0; b < 256; b++) pieces.Add($"<0x{b:X2}>", TokenType.Byte);

        // Single characters are never the result of a merge, so their scores play no part.
        pieces.Add(SentencePieceText.SpaceSymbol.ToString());
        pieces.Add("\n");
        pieces.Add("\t");
        for (var c = '!'; c <= '~'; c++) pieces.Add(c.ToString());
        foreach (var character in MostFrequent(characterCounts, options.MaxExtraCharacters, options.MinCharacterCount))
            pieces.Add(character);

        foreach (var symbol in ChemicalElements.Symbols.Where(s => s.Length == 2)) pieces.Add(symbol);
        foreach (var prefix in CorePrefixes(chosen, unitCounts)) pieces.Add(prefix);
        foreach (var unit in chosen.Where(u => u.Length > 1 && u[0] == SentencePieceText.SpaceSymbol)
                     .OrderByDescending(u => unitCounts.GetValueOrDefault(u)).ThenBy(u => u, StringComparer.Ordinal))
            pieces.Add(unit);
        foreach (var phrase in phrases) pieces.Add(phrase);

        return new Vocabulary(pieces.ToPieces(), BosId: 1, EosId: 2, UnknownId: 0, AddSpacePrefix: true);
    }

    /// <summary>Whether a unit may become a piece: element symbols stay bare (no <c>▁Fe</c>), single characters already are pieces.</summary>
    public static bool IsEligible(PreToken unit) => unit.Kind switch
    {
        PreTokenKind.Word => unit.Text.Length >= 2 && !ChemicalElements.IsSymbol(unit.Core),
        PreTokenKind.SymbolRun => unit.Text.Length >= 2,
        _ => false,
    };

    private static bool IsPunctuation(PreToken unit) => unit.Kind == PreTokenKind.SymbolRun && unit.Text.Length == 1;

    private static (Dictionary<string, long> Units, Dictionary<string, long> Characters) Count(string[] texts)
    {
        var units = new Dictionary<string, long>(StringComparer.Ordinal);
        var characters = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (var unit in PreTokenizer.Split(text))
            {
                if (IsEligible(unit))
                    units[unit.Text] = units.GetValueOrDefault(unit.Text) + 1;
                foreach (var c in unit.Text)
                    if (c >= 128 && c != SentencePieceText.SpaceSymbol && !char.IsSurrogate(c) && !char.IsControl(c))
                        characters[c.ToString()] = characters.GetValueOrDefault(c.ToString()) + 1;
            }
        }
        return (units, characters);
    }

    private static List<string> ChooseUnits(Dictionary<string, long> counts, VocabularyBuilderOptions options)
    {
        var chosen = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var piece in options.RequiredPieces)
        {
            var units = PreTokenizer.Split(piece).ToArray();
            if (units.Length != 1 || units[0].Text != piece || !IsEligible(units[0]))
                throw new ArgumentException(
                    $"Required piece '{piece.Replace("\n", "\\n")}' is not a single word or punctuation run " +
                    $"(it splits into {string.Join(" | ", units.Select(u => u.Text.Replace("\n", "\\n")))}); " +
                    "write spaces as '▁' and do not use element symbols.", nameof(options));
            if (seen.Add(piece)) chosen.Add(piece);
        }
        var added = 0;
        foreach (var unit in MostFrequent(counts, int.MaxValue, options.MinWordCount))
        {
            if (added == options.MaxWords) break;
            if (!seen.Add(unit)) continue;
            chosen.Add(unit);
            added++;
        }
        return chosen;
    }

    private static IEnumerable<string> MostFrequent(Dictionary<string, long> counts, int max, long minCount) =>
        counts.Where(kv => kv.Value >= minCount)
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(max).Select(kv => kv.Key);

    /// <summary>All prefixes (two characters or longer) of the chosen units without their <c>▁</c>, most used first.</summary>
    private static IEnumerable<string> CorePrefixes(List<string> chosen, Dictionary<string, long> counts)
    {
        var weights = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var unit in chosen)
        {
            var core = unit[0] == SentencePieceText.SpaceSymbol ? unit[1..] : unit;
            for (var length = 2; length <= core.Length; length++)
            {
                var prefix = core[..length];
                weights[prefix] = weights.GetValueOrDefault(prefix) + counts.GetValueOrDefault(unit);
            }
        }
        return weights.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key);
    }

    /// <summary>
    /// Maximal runs of adjacent chosen units and single punctuation characters, with how often each
    /// run occurs. Digits, element symbols and rare words end a run, so no phrase swallows a value.
    /// </summary>
    private static Dictionary<int[], long> Segments(string[] texts, List<string> symbolNames, Dictionary<string, int> chosenIds)
    {
        var segments = new Dictionary<int[], long>(IntArrayComparer.Instance);
        var current = new List<int>();
        foreach (var text in texts)
        {
            foreach (var unit in PreTokenizer.Split(text))
            {
                if (chosenIds.TryGetValue(unit.Text, out var id)) current.Add(id);
                else if (IsPunctuation(unit)) current.Add(Intern(unit.Text));
                else Flush();
            }
            Flush();
        }
        return segments;

        int Intern(string text)
        {
            if (chosenIds.TryGetValue(text, out var id)) return id;
            id = symbolNames.Count;
            symbolNames.Add(text);
            chosenIds.Add(text, id);
            return id;
        }

        void Flush()
        {
            if (current.Count >= 2)
            {
                var key = current.ToArray();
                segments[key] = segments.GetValueOrDefault(key) + 1;
            }
            current.Clear();
        }
    }

    private sealed class PieceList
    {
        private readonly List<(string Piece, TokenType Type)> _pieces = [];
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        public void Add(string piece, TokenType type = TokenType.Normal)
        {
            if (_seen.Add(piece)) _pieces.Add((piece, type));
        }

        public VocabularyPiece[] ToPieces() =>
            _pieces.Select((p, id) => new VocabularyPiece(p.Piece, -id, p.Type)).ToArray();
    }

    private sealed class IntArrayComparer : IEqualityComparer<int[]>
    {
        public static readonly IntArrayComparer Instance = new();

        public bool Equals(int[]? x, int[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(int[] values)
        {
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            return hash.ToHashCode();
        }
    }
}
