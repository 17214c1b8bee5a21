namespace DarwinGrid.Domain.Tasks;

/// <summary>Molecular property tasks: ESOL solubility and ChEMBL lipophilicity.</summary>
internal static class ChemistryTasks
{
    public static IEnumerable<PropertyTask> All()
    {
        yield return new PropertyTask
        {
            Name = "esol_log_solubility",
            Description = "Aqueous solubility of a molecule (log10 of mol/L) from its SMILES",
            Kind = TaskKind.Regression,
            Unit = "log(mol/L)",
            Input = InputField.Smiles,
            Source = new CsvTaskSource("darwin/ESOL/ESOL.csv", "SMILES",
                "solubility_log in mol/L (solubility expressed as a logarithm in mol/L)"),
            DarwinInstructionFile = "darwin/ESOL/ESOL.json",
            InstructionOrigin = InstructionOrigin.DarwinJson,
            // ESOL.json also asks for mol/L (not log), names, SELFIES, InChI; these are the
            // log-solubility-from-SMILES questions only.
            Instructions =
            [
                "Given SMILES, write its aqueous solubility expressed as a logarithm in mol/L in 25 °C. ->",
                "Given SMILES, write its aqueous solubility expressed as a logarithm in mol/L in room temperature. ->",
                "Given SMILES, write its water solubility expressed as a logarithm in mol/L in 25 °C. ->",
                "Given SMILES, write its water solubility expressed as a logarithm in mol/L in room temperature. ->",
                "What is aqueous solubility expressed as a logarithm in mol/L of given SMILES in 25 °C? ->",
                "What is aqueous solubility expressed as a logarithm in mol/L of given SMILES in room temperature? ->",
                "What is water solubility expressed as a logarithm in mol/L of given SMILES in 25 °C? ->",
                "What is water solubility expressed as a logarithm in mol/L of given SMILES in room temperature? ->",
                "Write aqueous solubility expressed as a logarithm in mol/L of given SMILES in 25 °C. ->",
                "Write aqueous solubility expressed as a logarithm in mol/L of given SMILES in room temperature. ->",
                "Write water solubility expressed as a logarithm in mol/L of given SMILES in 25 °C. ->",
                "Write water solubility expressed as a logarithm in mol/L of given SMILES in room temperature. ->",
            ],
            Answer = NumericAnswer.Darwin,
            Distractors = new DistractorInfo(
                [
                    " Unable to answer the question due to lack of conditions\n",
                    " {input} does not have solubility.\n",
                ],
                [
                    "Given SMILES, write its oil solubility expressed as a logarithm in mol/L in 25 °C. ->",
                    "Given SMILES, write its oil solubility expressed as a logarithm in mol/L. ->",
                    "Given SMILES, write its oil solubility in 25 °C. ->",
                    "Given SMILES, write its oil solubility. ->",
                    "Given SMILES, write its solubility in 25 °C. ->",
                    "What is oil solubility of given SMILES in 25 °C? ->",
                    "What is solubility expressed as a logarithm in mol/L of given SMILES in room temperature? ->",
                    "What is solubility expressed as a logarithm in mol/L of given SMILES? ->",
                    "What is solubility of given SMILES in room temperature? ->",
                    "What is solubility of given SMILES? ->",
                    "Write oil solubility expressed as a logarithm in mol/L of given SMILES in 25 °C. ->",
                    "Write oil solubility of given SMILES in room temperature. ->",
                    "Write solubility expressed as a logarithm in mol/L of given SMILES in 25 °C. ->",
                    "Write solubility of given SMILES in 25 °C. ->",
                    "Write solubility of given SMILES in room temperature. ->",
                ]),
        };

        yield return Lipophilicity("chembl_lipophilicity", "SMILES", "smiles", InputField.Smiles);
        yield return Lipophilicity("chembl_lipophilicity_selfies", "SELFIES", "selfies", InputField.Selfies);
        yield return Lipophilicity("chembl_lipophilicity_inchi", "InChI", "inchi", InputField.InChI);
        yield return Lipophilicity("chembl_lipophilicity_iupac", "IUPAC", "iupac", InputField.Iupac);
    }

    /// <summary>DARWIN asks chembl lipophilicity from four notations of the same molecules.</summary>
    private static PropertyTask Lipophilicity(string name, string notation, string column, InputField input) => new()
    {
        Name = name,
        Description = $"Lipophilicity (octanol/water log D at pH 7.4) of a molecule from its {notation}",
        Kind = TaskKind.Regression,
        Unit = "log D",
        Input = input,
        Source = new CsvTaskSource("darwin/chembl/chembl.csv", column, "lipophilicity"),
        DarwinInstructionFile = "darwin/chembl/chembl.json",
        InstructionOrigin = InstructionOrigin.DarwinJson,
        Instructions =
        [
            $"Given {notation}, write its lipophilicity. ->",
            $"What is lipophilicity of given {notation}? ->",
            $"Write lipophilicity of given {notation}. ->",
        ],
        Answer = NumericAnswer.Darwin,
        Distractors = new DistractorInfo([$" {{input}} is not a {notation} and it does not have lipophilicity.\n"], []),
    };
}
