using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Metrics;
using DarwinGrid.Domain.Prompts;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Inference.Engine;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Silo.Benchmarks;

/// <summary>One task's score on a fold's test part, next to the dummy baseline (train mean / majority class).</summary>
/// <param name="Metric">"MAE" (regression, on the parsed answers) or "ROC-AUC" (binary, from P(positive)).</param>
/// <param name="ParseFailures">Regression answers that did not parse as a number (left out of the MAE, not replaced).</param>
/// <param name="DummyAllTest">The dummy's score on the same records the model was scored on.</param>
public sealed record TaskScore(string Task, string Metric, int TestRecords, int Scored, int ParseFailures, double Model, double Dummy,
    double? ModelAccuracy = null, double? DummyAccuracy = null)
{
    /// <summary>Regression: standard deviation of the predictions and of the true values (a constant guesser has 0).</summary>
    public (double Predicted, double Actual)? Spread { get; init; }

    public IReadOnlyList<string> FailureExamples { get; init; } = [];
}

/// <summary>
/// A minimal evaluator for a trained GGUF on the Matbench folds (until the platform's
/// PropertyPredictor lands): the prompts inference uses (task instruction 0, the model's prompt
/// format), greedy free-text answers parsed with the catalog's answer format for regression, and
/// P(positive) from the logits of the first answer token for binary tasks, through the inference engine.
/// </summary>
public static class FoldEvaluation
{
    public static async Task<IReadOnlyList<TaskScore>> RunAsync(string modelPath, string dataRoot, IReadOnlyList<string> taskNames, FoldSelection fold,
        IPromptFormat format, DarwinTokenizer tokenizer, int? threads, CancellationToken cancellationToken)
    {
        await using var engine = InferenceEngine.Start(new EngineOptions
        {
            ModelPath = modelPath, ContextSize = 8192, SeqMax = 32, Threads = threads, BatchThreads = threads,
        });
        var scores = new List<TaskScore>();
        foreach (var task in taskNames.Select(TaskCatalog.Get))
        {
            var load = TaskDatasetLoader.Load(task, dataRoot);
            var split = FoldSelection.Splits(task, load.Records, fold.Count, fold.Seed)[fold.Index];
            var train = split.Train.Select(i => load.Records[i]).ToArray();
            var test = split.Test.Select(i => load.Records[i]).ToArray();
            var prefix = format.Prefix(task.Instructions[0]);
            scores.Add(task.Kind == TaskKind.Regression
                ? await Regression(engine, task, format, prefix, train, test, cancellationToken)
                : await Binary(engine, task, format, prefix, train, test, tokenizer, cancellationToken));
        }
        return scores;
    }

    private static async Task<TaskScore> Regression(InferenceEngine engine, PropertyTask task, IPromptFormat format, string prefix,
        TaskRecord[] train, TaskRecord[] test, CancellationToken ct)
    {
        var answers = await Task.WhenAll(test.Select(r => engine.EvaluateAsync(Request(task, format, prefix, r, new ResponseMode.FreeText(16)), ct).AsTask()));
        var actual = new List<double>();
        var predicted = new List<double>();
        var failures = new List<string>();
        for (var i = 0; i < test.Length; i++)
        {
            var parse = task.Answer.Parse(answers[i].Text);
            if (parse.Value is { } value)
            {
                actual.Add(test[i].Target.AsNumber());
                predicted.Add(value.AsNumber());
            }
            else failures.Add(answers[i].Text);
        }
        var mean = train.Average(r => r.Target.AsNumber());
        var model = actual.Count > 0 ? RegressionMetrics.MeanAbsoluteError(actual, predicted) : double.NaN;
        // The dummy is scored on the same records as the model (all of them when nothing parsed).
        var scored = actual.Count > 0 ? actual : test.Select(r => r.Target.AsNumber()).ToList();
        var dummy = RegressionMetrics.MeanAbsoluteError(scored, Enumerable.Repeat(mean, scored.Count).ToList());
        return new TaskScore(task.Name, "MAE", test.Length, actual.Count, failures.Count, model, dummy)
        {
            FailureExamples = failures.Take(5).ToArray(),
            Spread = actual.Count > 1 ? (StandardDeviation(predicted), StandardDeviation(actual)) : null,
        };
    }

    private static double StandardDeviation(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    private static async Task<TaskScore> Binary(InferenceEngine engine, PropertyTask task, IPromptFormat format, string prefix,
        TaskRecord[] train, TaskRecord[] test, DarwinTokenizer tokenizer, CancellationToken ct)
    {
        var classes = task.Classes;
        if (classes.Count != 2) throw new ArgumentException($"Task '{task.Name}' has {classes.Count} classes; only binary tasks are scored here.");
        // Score exactly the first token the model was trained to write for each class: the answer's
        // first continuation token (" Yes," may be one piece), named by its text for the engine.
        var labels = classes.Select((c, i) =>
        {
            var answer = task.Answer.Format(test[0].Input.Trim(), new TargetValue.Class(i, c.Name), "x");
            return tokenizer.DecodeContinuation([tokenizer.EncodeContinuation(answer)[0]]);
        }).ToArray();
        var answers = await Task.WhenAll(test.Select(r => engine.EvaluateAsync(Request(task, format, prefix, r, new ResponseMode.Labels(labels)), ct).AsTask()));
        var actual = test.Select(r => r.Target.AsClassIndex() == 1).ToArray();
        var positive = answers.Select(a => a.Labels![1].Probability).ToArray();
        var majority = train.Count(r => r.Target.AsClassIndex() == 1) * 2 >= train.Length;
        var auc = ClassificationMetrics.RocAuc(actual, positive);
        var dummyAuc = ClassificationMetrics.RocAuc(actual, Enumerable.Repeat(majority ? 1.0 : 0.0, test.Length).ToArray());
        var accuracy = ClassificationMetrics.Accuracy(actual.Select(a => a ? 1 : 0).ToArray(), positive.Select(p => p >= 0.5 ? 1 : 0).ToArray());
        var dummyAccuracy = (double)actual.Count(a => a == majority) / actual.Length;
        return new TaskScore(task.Name, "ROC-AUC", test.Length, test.Length, 0, auc, dummyAuc, accuracy, dummyAccuracy);
    }

    private static EngineRequest Request(PropertyTask task, IPromptFormat format, string prefix, TaskRecord record, ResponseMode mode)
    {
        var prompt = TaskPrompts.ForCandidate(format, task, record.Input, 0);
        if (!prompt.StartsWith(prefix, StringComparison.Ordinal))
            throw new InvalidOperationException($"The prompt for '{record.Input}' does not start with the task's prefix.");
        return new EngineRequest(prefix, prompt[prefix.Length..], mode);
    }
}
