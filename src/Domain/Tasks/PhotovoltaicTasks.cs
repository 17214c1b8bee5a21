namespace DarwinGrid.Domain.Tasks;

/// <summary>Solar-cell tasks: emerging PV, organic PV (Nagasawa, opv) and SII_MDP perovskite cells.</summary>
internal static class PhotovoltaicTasks
{
    private const string EmergingPv = "darwin/Emerging_PV_database/EPVDB.csv";

    public static IEnumerable<PropertyTask> All()
    {
        yield return PerovskiteAbsorber("epvdb_pce", "power conversion efficiency", "PCE [%]", "%",
            "Power conversion efficiency of an emerging (perovskite) solar cell from its absorber");
        yield return PerovskiteAbsorber("epvdb_band_gap", "band gap", "Bandgap [eV]", "eV",
            "Band gap of a perovskite absorber (Emerging PV database)");

        yield return new PropertyTask
        {
            Name = "nagasawa_opv_pce",
            Description = "Maximum power conversion efficiency of an organic solar cell from the donor polymer's SMILES (Nagasawa et al.)",
            Kind = TaskKind.Regression,
            Unit = "%",
            Input = InputField.Smiles,
            Source = new CsvTaskSource("darwin/NagasawaOPV/NagasawaOPV.csv", "SMILES", "PCE_max(%)"),
            // DARWIN's NagasawaOPV convert.ipynb: ("What is "|"Write "|"Given SMILES, write its ") +
            // "solar cell " + {maximum value of PCE | ... power conversion efficiency} + " as a p-type polymer and PC71BM or PCBM".
            InstructionOrigin = InstructionOrigin.DarwinConverter,
            Instructions =
            [
                "What is solar cell maximum value of PCE of given SMILES as a p-type polymer and PC71BM or PCBM? ->",
                "Write solar cell maximum value of PCE of given SMILES as a p-type polymer and PC71BM or PCBM. ->",
                "Given SMILES, write its solar cell maximum value of PCE as a p-type polymer and PC71BM or PCBM. ->",
                "What is solar cell maximum value of power conversion efficiency of given SMILES as a p-type polymer and PC71BM or PCBM? ->",
                "Write solar cell maximum value of power conversion efficiency of given SMILES as a p-type polymer and PC71BM or PCBM. ->",
                "Given SMILES, write its solar cell maximum value of power conversion efficiency as a p-type polymer and PC71BM or PCBM. ->",
            ],
            Answer = NumericAnswer.Darwin,
        };

        yield return new PropertyTask
        {
            Name = "opv_pce",
            Description = "Power conversion efficiency of an organic solar cell from donor SMILES and acceptor, both inside the instruction (DARWIN opv set)",
            Kind = TaskKind.Regression,
            Unit = "%",
            Input = InputField.DonorAcceptorInInstruction,
            Source = new InstructionJsonTaskSource(["darwin/opv/opv_regression_train.json", "darwin/opv/opv_regression_test.json"]),
            DarwinInstructionFile = "darwin/opv/opv_regression_train.json",
            InstructionOrigin = InstructionOrigin.DarwinJson,
            // Each record carries its own instruction; this is the pattern they follow.
            Instructions = ["what is the power conversion efficiency of organic solar cells with donor : {donor}, and Acceptors: {acceptor}? ->"],
            Answer = NumericAnswer.Darwin,
        };

        yield return new PropertyTask
        {
            Name = "sii_mdp_pce",
            Description = "Power conversion efficiency of a perovskite solar cell from its device schema (DARWIN SII_MDP)",
            Kind = TaskKind.Regression,
            Unit = "%",
            Input = InputField.SolarCellSchema,
            Source = new InstructionJsonTaskSource(["sii_mdp/regression360.json", "sii_mdp/regression40.json"]),
            DarwinInstructionFile = "sii_mdp/regression360.json",
            InstructionOrigin = InstructionOrigin.DarwinJson,
            Instructions = ["What's the PCE of the perovskite solar cell with the parameters below."],
            // Outputs are " JV default Voc: ..\n JV default Jsc: ..\n JV default FF: ..\n JV default PCE: 14.9@@@".
            Answer = new NumericAnswer("JV default PCE:", "@@@"),
        };
    }

    private static PropertyTask PerovskiteAbsorber(string name, string property, string column, string unit, string description) => new()
    {
        Name = name,
        Description = description,
        Kind = TaskKind.Regression,
        Unit = unit,
        Input = InputField.PerovskiteAbsorber,
        // Other rows describe organic, tandem or inorganic cells under other absorber columns.
        Source = new CsvTaskSource(EmergingPv, "Absorber perovskite", column) { Filter = new CsvRowFilter("Absorber perovskite") },
        InstructionOrigin = InstructionOrigin.DarwinStyle,
        Instructions = DarwinPhrasing.Questions(property, "perovskite absorber"),
        Answer = NumericAnswer.Darwin,
    };
}
