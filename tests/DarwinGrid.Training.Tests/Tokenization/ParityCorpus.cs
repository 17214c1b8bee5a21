using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Training.Tests.Tokenization;

/// <summary>The texts both tokenizers must split identically.</summary>
internal static class ParityCorpus
{
    /// <summary>Whitespace, non-ASCII, emoji, control-token look-alikes, formulas: the places tokenizers tend to disagree.</summary>
    public static IReadOnlyList<string> EdgeCases { get; } =
    [
        "", " ", "  ", "a", "  leading spaces", "trailing spaces  ", "double  space  inside", " Fe2O3 ",
        "\ttab\tseparated\t", "mixed \t tab and space", "\n\nleading newlines", "\nFe2O3\n", "trailing newline\n\n\n",
        "line\r\nbreaks\r\n", "µm scale, H₂O, café, Ångström Å, Fe₂O₃, 25 °C, ±0.5, ∼3 eV, α-Fe, Δ𝐻",
        "emoji 🧪🔬⚗️ and 👩‍🔬 in text", "<s> typed as text </s> and <unk>", "<0x41> is not a byte here",
        "▁already▁escaped ▁ spaces", "Sn Sn  Sn   Sn", "SnO2SnSSnSe", "Ag0.5Ge1Pb1.75S4", "Zr5(CrFe14)3",
        "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC", "1,000,000.000001 -1e-10",
        "What is band gap of given composition? ->", "### Response: ### Response:", "Below is an instruction",
        "中文 日本語 한국어 العربية", "\u00a0non-breaking\u00a0space", "zero\u200bwidth", "\u0001\u0002 control chars",
    ];

    public static IEnumerable<string> All(SharedCorpus corpus) =>
        corpus.Instructions.Select(r => r.ToTrainingText())
            .Concat(corpus.QuestionAnswers.SelectMany(qa => new[] { qa.Question, qa.Answer }))
            .Concat(EdgeCases);

    /// <summary>Every <paramref name="stride"/>-th corpus text plus all edge cases: a fixed, reproducible sample.</summary>
    public static IEnumerable<string> Sample(SharedCorpus corpus, int stride) =>
        All(corpus).Where((_, i) => i % stride == 0).Concat(EdgeCases).Distinct(StringComparer.Ordinal);
}
