using DarwinGrid.Training.Native;

namespace DarwinGrid.Training.Optimization;

/// <summary>Answer-token loss and accuracy read from a computed <see cref="TrainingGraph"/>.</summary>
internal static class AnswerScoring
{
    /// <summary>Mean answer-token loss and accuracy of the graph's current weights on <paramref name="records"/> (forward only).</summary>
    public static EvaluationResult Evaluate(TrainingGraph graph, IReadOnlyList<TrainingRecord> records, int vocabSize)
    {
        double lossSum = 0;
        int answers = 0, correct = 0;
        foreach (var batch in BatchPlanner.Plan(records, graph.Layout))
        {
            if (batch.AnswerCount == 0) continue;
            graph.Upload(batch, vocabSize, (float)graph.Layout.AnswerSlots / batch.AnswerCount);
            graph.ComputeForward();
            lossSum += Loss(graph) * batch.AnswerCount;
            answers += batch.AnswerCount;
            correct += CountCorrect(graph, batch);
        }
        return new EvaluationResult(answers > 0 ? lossSum / answers : double.NaN, answers > 0 ? (double)correct / answers : double.NaN, answers);
    }

    public static int CountCorrect(TrainingGraph graph, TrainingBatch batch)
    {
        var predicted = GgmlTensorData.Get<int>(graph.Predictions);
        var correct = 0;
        for (var slot = 0; slot < batch.Targets.Length; slot++)
        {
            if (batch.Targets[slot] >= 0 && predicted[slot] == batch.Targets[slot]) correct++;
        }
        return correct;
    }

    public static double Loss(TrainingGraph graph) => GgmlTensorData.GetScalar(graph.Loss);
}
