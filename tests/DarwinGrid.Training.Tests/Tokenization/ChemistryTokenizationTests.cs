using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Training.Tests.Tokenization;

/// <summary>Formulas cost few tokens and stay legible: element symbols and digits, the same in both tokenizers.</summary>
[Collection(BuiltInVocabularyCollection.Name)]
public sealed class ChemistryTokenizationTests(BuiltInVocabularyFixture fixture)
{
    [Theory]
    [InlineData("Ag0.5Ge1Pb1.75S4", new[] { "▁", "Ag", "0", ".", "5", "Ge", "1", "Pb", "1", ".", "7", "5", "S", "4" })]
    [InlineData("Zr5(CrFe14)3", new[] { "▁", "Zr", "5", "(", "Cr", "Fe", "1", "4", ")", "3" })]
    [InlineData("SnO2 SnS", new[] { "▁", "Sn", "O", "2", "▁", "Sn", "S" })]
    [InlineData("In5AgTe8", new[] { "▁", "In", "5", "Ag", "Te", "8" })]
    public void FormulasSplitIntoElementSymbolsAndDigits(string formula, string[] expectedPieces)
    {
        var managed = fixture.Tokenizer.Encode(formula, addBos: false);
        Assert.Equal(expectedPieces, fixture.Tokenizer.Pieces(managed));
        Assert.Equal(managed, fixture.LlamaCppEncode(formula)[1..]);
    }

    [Fact]
    public void EveryElementSymbolIsOnePieceInAFormulaEvenAfterAnotherElement()
    {
        foreach (var symbol in ChemicalElements.Symbols)
        {
            foreach (var formula in new[] { $"{symbol}2", $"Fe{symbol}3", $"({symbol}O)2" })
            {
                var ids = fixture.Tokenizer.Encode(formula, addBos: false);
                Assert.Contains(symbol, fixture.Tokenizer.Pieces(ids));
                Assert.Equal(ids, fixture.LlamaCppEncode(formula)[1..]);
            }
        }
    }

    [Fact]
    public void NumbersTokenizeDigitByDigit()
    {
        foreach (var number in new[] { " 1036.9", " 0.9647829909344999", "-12.5e3", "2024" })
        {
            var pieces = fixture.Tokenizer.Pieces(fixture.Tokenizer.Encode(number, addBos: false));
            var digits = pieces.Where(p => p.Any(char.IsAsciiDigit)).ToArray();
            Assert.All(digits, p => Assert.Single(p));
            Assert.Equal(number.Count(char.IsAsciiDigit), digits.Length);
        }
    }

    [Fact]
    public void ADarwinPromptIsShort()
    {
        var record = fixture.Corpus.Instructions.First(r => r.Source.Contains("matbench_expt_gap", StringComparison.Ordinal));
        var prompt = DarwinGrid.Domain.Prompts.DarwinAlpacaPromptFormat.Instance.Complete(record.Instruction, record.Input);
        var ids = fixture.Tokenizer.Encode(prompt);
        // Preamble and separators collapse into a handful of pieces; the formula stays element by element.
        Assert.InRange(ids.Length, 5, 30);
        Assert.Equal(ids, fixture.LlamaCppEncode(prompt));
    }
}
