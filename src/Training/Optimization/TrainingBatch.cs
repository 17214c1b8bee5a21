using DarwinGrid.Training.Graph;

namespace DarwinGrid.Training.Optimization;

/// <summary>
/// Host-side contents of one micro-batch. <see cref="GatherIndices"/> pick the positions whose next
/// token is an answer token; <see cref="Targets"/> hold those tokens (-1 marks an unused slot).
/// </summary>
public sealed record TrainingBatch(int[] Tokens, int[] Positions, float[] Mask, int[] GatherIndices, int[] Targets, int AnswerCount, int RecordTokens);

/// <summary>Lays records (in the given order) into micro-batches of a fixed <see cref="BatchLayout"/>.</summary>
public static class BatchPlanner
{
    public static IEnumerable<TrainingBatch> Plan(IEnumerable<TrainingRecord> records, BatchLayout layout) =>
        Group(records, layout).Select(rows => Build(rows, layout));

    /// <summary>The records of each batch, row by row (cheap: no token arrays or masks are built).</summary>
    public static IEnumerable<List<List<TrainingRecord>>> Group(IEnumerable<TrainingRecord> records, BatchLayout layout)
    {
        var rows = new List<List<TrainingRecord>>();
        var answers = 0;
        foreach (var record in records)
        {
            var current = rows.Count > 0 ? rows[^1] : null;
            var fitsRow = current is not null && layout.Records == RecordLayout.Packed
                && current.Sum(r => r.Length) + record.Length <= layout.TokensPerRow;
            var fitsAnswers = answers + record.ResponseTokens.Length <= layout.AnswerSlots;
            if (!fitsAnswers || (!fitsRow && rows.Count == layout.Rows))
            {
                yield return rows;
                rows = [];
                answers = 0;
                fitsRow = false;
            }
            if (fitsRow) current!.Add(record);
            else rows.Add([record]);
            answers += record.ResponseTokens.Length;
        }
        if (rows.Count > 0) yield return rows;
    }

    public static TrainingBatch Build(List<List<TrainingRecord>> rows, BatchLayout layout)
    {
        int t = layout.TokensPerRow, n = layout.TokenCount;
        var tokens = new int[n];
        var positions = new int[n];
        var mask = new float[t * t * layout.Rows];
        var gather = new int[layout.AnswerSlots];
        var targets = new int[layout.AnswerSlots];
        Array.Fill(targets, -1);
        int slot = 0, recordTokens = 0;
        for (var row = 0; row < layout.Rows; row++)
        {
            var segments = row < rows.Count ? rows[row] : [];
            var offset = 0;
            foreach (var record in segments)
            {
                var start = row * t + offset;
                record.PromptTokens.CopyTo(tokens, start);
                record.ResponseTokens.CopyTo(tokens, start + record.PromptTokens.Length);
                for (var i = 0; i < record.Length; i++) positions[start + i] = i;
                for (var j = 0; j < record.ResponseTokens.Length; j++)
                {
                    // The logits at the position before a response token predict it.
                    gather[slot] = start + record.PromptTokens.Length - 1 + j;
                    targets[slot++] = record.ResponseTokens[j];
                }
                offset += record.Length;
                recordTokens += record.Length;
            }
            // Padding: token 0 at increasing positions, masked off from every real token.
            for (var i = offset; i < t; i++) positions[row * t + i] = i;
            AttentionMask.FillRow(mask.AsSpan(row * t * t, t * t), t, segments.Select(r => r.Length).ToArray());
        }
        return new TrainingBatch(tokens, positions, mask, gather, targets, slot, recordTokens);
    }
}
