namespace DarwinGrid.Training.Optimization;

/// <summary>
/// The fixed geometry of every micro-batch: <see cref="Rows"/> rows of <see cref="TokensPerRow"/>
/// tokens, and room for <see cref="AnswerSlots"/> predicted answer tokens (the output head only runs
/// on those positions).
/// </summary>
public sealed record BatchLayout(int TokensPerRow, int Rows, int AnswerSlots, RecordLayout Records)
{
    public int TokenCount => TokensPerRow * Rows;

    /// <summary>Picks the window and answer capacity that fit every record.</summary>
    public static BatchLayout For(IReadOnlyCollection<TrainingRecord> records, TrainerOptions options, int vocabularySize, int contextLength)
    {
        if (records.Count == 0) throw new ArgumentException("There are no training records.");
        var index = 0;
        foreach (var record in records)
        {
            Validate(record, index++, vocabularySize);
        }
        var longest = records.Max(r => r.Length);
        var longestResponse = records.Max(r => r.ResponseTokens.Length);
        var window = options.WindowLength > 0
            ? options.WindowLength
            : Math.Min(contextLength, longest);
        if (longest > window)
            throw new ArgumentException($"The longest record has {longest} tokens, more than the window of {window} tokens.");
        if (window > contextLength)
            throw new ArgumentException($"The window of {window} tokens exceeds the model's context length {contextLength}.");

        var perRow = 1;
        if (options.Layout == RecordLayout.Packed)
        {
            var average = records.Average(r => r.Length);
            perRow = Math.Max(1, (int)Math.Ceiling(window / average));
        }
        var slots = Math.Min(window * options.BatchRows, options.BatchRows * perRow * longestResponse);
        if (options.AnswerSlotHeadroom > 0)
        {
            // The output head (vocabulary x slots, forward and backward) runs on every slot, used or
            // not: size it to the answers a full batch holds on average, plus headroom.
            var answerFraction = (double)records.Sum(r => (long)r.ResponseTokens.Length) / records.Sum(r => (long)r.Length);
            var typical = options.Layout == RecordLayout.Packed
                ? options.BatchRows * window * answerFraction
                : options.BatchRows * records.Average(r => r.ResponseTokens.Length);
            slots = Math.Clamp((int)Math.Ceiling(options.AnswerSlotHeadroom * typical), longestResponse, slots);
        }
        return new BatchLayout(window, options.BatchRows, slots, options.Layout);
    }

    /// <summary>
    /// The records of a later epoch, after checking that each fits this layout (a window and answer
    /// capacity fixed from the first epoch).
    /// </summary>
    public IReadOnlyList<TrainingRecord> Checked(IReadOnlyList<TrainingRecord> records, int epoch, int vocabularySize)
    {
        if (records.Count == 0) throw new ArgumentException($"Epoch {epoch} has no training records.");
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            Validate(record, i, vocabularySize);
            if (record.Length > TokensPerRow)
                throw new ArgumentException($"Epoch {epoch}, record {i} has {record.Length} tokens, more than the window of {TokensPerRow} tokens fixed by the first epoch.");
            if (record.ResponseTokens.Length > AnswerSlots)
                throw new ArgumentException($"Epoch {epoch}, record {i} has {record.ResponseTokens.Length} response tokens, more than the {AnswerSlots} answer slots fixed by the first epoch.");
        }
        return records;
    }

    private static void Validate(TrainingRecord record, int index, int vocabularySize)
    {
        if (record.PromptTokens is null || record.PromptTokens.Length == 0)
            throw new ArgumentException($"Training record {index} has no prompt tokens (at least one is needed to predict the first response token).");
        if (record.ResponseTokens is null || record.ResponseTokens.Length == 0)
            throw new ArgumentException($"Training record {index} has no response tokens.");
        foreach (var token in record.PromptTokens.Concat(record.ResponseTokens))
        {
            if (token < 0 || token >= vocabularySize)
                throw new ArgumentException($"Training record {index} has token {token}, outside the vocabulary of {vocabularySize}.");
        }
    }
}
