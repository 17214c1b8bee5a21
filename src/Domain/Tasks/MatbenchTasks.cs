namespace DarwinGrid.Domain.Tasks;

/// <summary>The four Matbench v0.1 tasks DARWIN reports on (~10% of each withheld from our copy).</summary>
internal static class MatbenchTasks
{
    public static IEnumerable<PropertyTask> All()
    {
        yield return new PropertyTask
        {
            Name = "matbench_expt_gap",
            Description = "Experimental band gap of an inorganic compound from its composition",
            Kind = TaskKind.Regression,
            Unit = "eV",
            Input = InputField.Composition,
            Source = new CsvTaskSource("darwin/matbench_expt_gap/matbench_expt_gap.csv", "composition", "band gap"),
            DarwinInstructionFile = "darwin/matbench_expt_gap/matbench_expt_gap.json",
            InstructionOrigin = InstructionOrigin.DarwinJson,
            Instructions =
            [
                "Given composition, what is its band gap? ->",
                "Given composition, write its band gap. ->",
                "Tell me band gap of given composition. ->",
                "What is band gap of given composition? ->",
                "Write band gap of given composition. ->",
            ],
            Answer = NumericAnswer.Darwin,
            InputLeadingSpace = false,
        };

        yield return new PropertyTask
        {
            Name = "matbench_is_metal",
            Description = "Whether a composition is metallic (Matbench matbench_expt_is_metal)",
            Kind = TaskKind.Binary,
            Unit = "",
            Input = InputField.Composition,
            Source = new CsvTaskSource("darwin/matbench_is_metal/matbench_is_metal.csv", "composition", "is metal?"),
            DarwinInstructionFile = "darwin/matbench_is_metal/matbench_is_metal.json",
            FoldsFollow = "matbench_expt_gap",
            InstructionOrigin = InstructionOrigin.DarwinJson,
            Instructions =
            [
                "Given composition, is it metal? ->",
                "Is composition metal? ->",
                "Is given composition metal? ->",
            ],
            Answer = DarwinPhrasing.YesNo("{input} is metal.", "{input} is not metal.", ["TRUE"], ["FALSE"]),
            Distractors = new DistractorInfo([" {input} is not a composition and it is not metal.\n"], []),
        };

        yield return new PropertyTask
        {
            Name = "matbench_glass",
            Description = "Whether a composition forms a metallic glass (glass-forming ability)",
            Kind = TaskKind.Binary,
            Unit = "",
            Input = InputField.Composition,
            Source = new CsvTaskSource("darwin/matbench_glass/matbench_glass.csv", "composition", "glass formation ability"),
            DarwinInstructionFile = "darwin/matbench_glass/matbench_glass.json",
            InstructionOrigin = InstructionOrigin.DarwinJson,
            Instructions =
            [
                "Does given composition have glass formation ability? ->",
                "Does given composition have glass-forming ability? ->",
                "Tell me if given composition has glass formation ability. ->",
                "Tell me if given composition has glass-forming ability. ->",
            ],
            // DARWIN echoes the instruction's wording ("glass formation" or "glass-forming");
            // we write "glass-forming" always. The scored first word (" Yes"/" No") is the same.
            Answer = DarwinPhrasing.YesNo("{input} has glass-forming ability.", "{input} does not have glass-forming ability.", ["TRUE"], ["FALSE"]),
            Distractors = new DistractorInfo(
                [
                    " {input} is not a composition and it has no relation with glass-forming ability.\n",
                    " {input} is not a composition and it has no relation with glass formation ability.\n",
                ],
                []),
        };

        yield return new PropertyTask
        {
            Name = "matbench_steels",
            Description = "Yield strength of a steel from its composition (tested at 800-1200 °C per DARWIN's phrasing)",
            Kind = TaskKind.Regression,
            Unit = "MPa",
            Input = InputField.Composition,
            Source = new CsvTaskSource("darwin/matbench_steels/matbench_steels.csv", "composition", "yield strength"),
            DarwinInstructionFile = "darwin/matbench_steels/matbench_steels.json",
            InstructionOrigin = InstructionOrigin.DarwinJson,
            Instructions =
            [
                "Given composition, write its potential yield strength at 800-1200 °C. ->",
                "What will be the yield strength of given composition at 800-1200 °C? ->",
                "Write a possible yield strength of given composition at 800-1200 °C. ->",
            ],
            Answer = NumericAnswer.Darwin,
            Distractors = new DistractorInfo(
                [
                    " {input} is not a composition and it does not have yield strength.\n",
                    " Unable to answer due to lack of conditions.\n",
                ],
                [
                    "Given composition, write its potential yield strength. ->",
                    "Write a possible yield strength of given composition. ->",
                ]),
        };
    }
}
