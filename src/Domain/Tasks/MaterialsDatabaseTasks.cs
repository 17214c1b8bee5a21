namespace DarwinGrid.Domain.Tasks;

/// <summary>Tasks from the smaller FAIR materials databases DARWIN was fine-tuned on.</summary>
internal static class MaterialsDatabaseTasks
{
    private const string Thermoelectric = "darwin/Experimental_thermoelectric_properties_2013/MRL.csv";
    private const string Magnetic = "darwin/Magnetic_Materials_Database/MMD.csv";
    private const string PolarMetals = "darwin/Polar_Metals_Materials_Database/MTD.csv";

    public static IEnumerable<PropertyTask> All()
    {
        yield return new PropertyTask
        {
            Name = "pei_phase",
            Description = "Phase of an alloy (fcc, bcc, hcp or multi-phase), Pei et al.",
            Kind = TaskKind.MultiClass,
            Unit = "",
            Input = InputField.Alloy,
            Source = new CsvTaskSource("darwin/Pei/Pei.csv", "Alloy", "Phase"),
            DarwinInstructionFile = "darwin/Pei/pei.json",
            InstructionOrigin = InstructionOrigin.DarwinJson,
            Instructions =
            [
                "Given alloy, write its phase. ->",
                "What is phase of given alloy? ->",
                "Write phase of given alloy. ->",
            ],
            Answer = DarwinPhrasing.Names("fcc", "bcc", "hcp", "multi-phase"),
            Distractors = new DistractorInfo([" {input} does not have phase.\n"], []),
        };

        yield return new PropertyTask
        {
            Name = "water_stability",
            Description = "Whether a MOF is stable in water (high or low), from its name",
            Kind = TaskKind.Binary,
            Unit = "",
            Input = InputField.MofName,
            Source = new CsvTaskSource("darwin/waterStability/waterStability.csv", "name", "stability")
            {
                QualifierColumn = "confidence",
            },
            DarwinInstructionFile = "darwin/waterStability/waterStability.json",
            InstructionOrigin = InstructionOrigin.DarwinJson,
            // Verbatim, including DARWIN's "stabilityof given stability" typo.
            Instructions =
            [
                "Given name, write its water stability at normal measurement conditions. ->",
                "Given name, write its water stability at room temperature and atmospheric pressure. ->",
                "How is the water stabilityof given stability at normal measurement conditions? ->",
                "How is the water stabilityof given stability at room temperature and atmospheric pressure? ->",
                "Tell me water stability of given name at normal measurement conditions. ->",
                "Tell me water stability of given name at room temperature and atmospheric pressure. ->",
                "Write stability of given name at normal measurement conditions. ->",
                "Write stability of given name at room temperature and atmospheric pressure. ->",
            ],
            // DARWIN's answers start with two spaces: "  It has high water stability with low confidence.\n".
            Answer = new ClassAnswer(
            [
                new ClassLabel("low", " low", "  It has low water stability with {qualifier} confidence.\n", ["low"]),
                new ClassLabel("high", " high", "  It has high water stability with {qualifier} confidence.\n", ["high"]),
            ], commonPrefix: "  It has"),
            Distractors = new DistractorInfo(
                [" {input} has no water stability.\n", " Unable to answer the question due to lack of conditions\n"],
                ["Given name, write its water stability. ->", "How is the water stabilityof given stability? ->"]),
        };

        yield return ThermoelectricAt300K("thermoelectric_zt_300k", "thermoelectric figure of merit ZT",
            "ZT (thermoelectric figure of merit)", "");
        yield return ThermoelectricAt300K("thermoelectric_seebeck_300k", "Seebeck coefficient",
            "Seebeck coefficient (μCV/K)", "uV/K");
        yield return ThermoelectricAt300K("thermoelectric_resistivity_300k", "electrical resistivity",
            "Electrical resistivity (Ωcm)", "Ohm cm");

        yield return MagneticProperty("magnetic_moment", "averaged magnetic moment", "Averaged magnetic moment (μB/atom)", "uB/atom");
        yield return MagneticProperty("magnetic_formation_energy", "formation energy", "Formation energy (eV/atom)", "eV/atom");
        yield return MagneticProperty("magnetic_polarization", "magnetic polarization", "Magnetic polarization, Js</(T)", "T");

        yield return PolarMetalTransition("polar_metal_superconducting", "superconducting transition", "Superconducting transition");
        yield return PolarMetalTransition("polar_metal_magnetic_ordering", "magnetic ordering transition", "Magnetic ordering transition");

        yield return new PropertyTask
        {
            Name = "dukedb_dimensionality",
            Description = "Dimensionality (0D-3D) of the inorganic framework of a hybrid organic-inorganic crystal (DukeDB), from its formula",
            Kind = TaskKind.MultiClass,
            Unit = "",
            Input = InputField.Formula,
            Source = new CsvTaskSource("darwin/Crystalline_organic-inorganic_compounds/DukeDB.csv", "formula", "dimensionality")
            {
                DistinctInputs = true,
            },
            InstructionOrigin = InstructionOrigin.DarwinStyle,
            Instructions = DarwinPhrasing.Questions("dimensionality", "formula"),
            Answer = new ClassAnswer(new[] { "0", "1", "2", "3" }
                .Select(d => new ClassLabel($"{d}D", $" {d}D", $" {d}D\n", [d])).ToList()),
        };

        yield return new PropertyTask
        {
            Name = "moosavi_heat_capacity_300k",
            Description = "Gravimetric heat capacity of a MOF at 300 K from its unit-cell composition (Moosavi et al.)",
            Kind = TaskKind.Regression,
            Unit = "J/(g K)",
            Input = InputField.MofComposition,
            Source = new CsvTaskSource("darwin/MoosaviCp/MoosaviCp.csv", "composition",
                "Cv_gravimetric_300.00 (gravimetric heat capacity at 300 K)")
            {
                // Most rows only carry ML-predicted pCv for a linker/topology description shared by
                // many MOFs; the computed Cv with a composition is the 143-row subset.
                Filter = new CsvRowFilter("Cv_gravimetric_300.00 (gravimetric heat capacity at 300 K)"),
            },
            // The two-field templates of DARWIN's MoosaviCp convert.ipynb with "composition" as the field.
            InstructionOrigin = InstructionOrigin.DarwinConverter,
            Instructions =
            [
                "What is the gravimetric heat capacity at 300 K of given MOF with composition? ->",
                "Write the gravimetric heat capacity at 300 K of given MOF with composition. ->",
                "Given MOF with composition, write its gravimetric heat capacity at 300 K. ->",
                "Tell me the gravimetric heat capacity at 300 K of given MOF with composition. ->",
            ],
            Answer = NumericAnswer.Darwin,
        };
    }

    /// <summary>MRL lists each compound at 300, 400, 700 and 1000 K; a task fixes the temperature so the input is just the formula.</summary>
    private static PropertyTask ThermoelectricAt300K(string name, string property, string column, string unit) => new()
    {
        Name = name,
        Description = $"{char.ToUpperInvariant(property[0])}{property[1..]} of a thermoelectric compound at 300 K from its formula (MRL 2013)",
        Kind = TaskKind.Regression,
        Unit = unit,
        Input = InputField.Formula,
        Source = new CsvTaskSource(Thermoelectric, "formula", column) { Filter = new CsvRowFilter("temperature", "300") },
        InstructionOrigin = InstructionOrigin.DarwinStyle,
        Instructions = DarwinPhrasing.Questions(property, "formula", " at 300 K"),
        Answer = NumericAnswer.Darwin,
    };

    /// <summary>Computed (DFT, AGA search) properties of Fe/Co-based magnetic compounds; polymorphs share a formula.</summary>
    private static PropertyTask MagneticProperty(string name, string property, string column, string unit) => new()
    {
        Name = name,
        Description = $"{char.ToUpperInvariant(property[0])}{property[1..]} of a magnetic compound from its formula (Magnetic Materials Database)",
        Kind = TaskKind.Regression,
        Unit = unit,
        Input = InputField.Formula,
        Source = new CsvTaskSource(Magnetic, "Formula", column),
        InstructionOrigin = InstructionOrigin.DarwinStyle,
        Instructions = DarwinPhrasing.Questions(property, "formula"),
        Answer = NumericAnswer.Darwin,
    };

    /// <summary>The polar-metals table marks a transition with "Yes" and leaves the cell empty otherwise.</summary>
    private static PropertyTask PolarMetalTransition(string name, string property, string column) => new()
    {
        Name = name,
        Description = $"Whether a polar metal shows a {property} (Polar Metals Materials Database; empty cell = no)",
        Kind = TaskKind.Binary,
        Unit = "",
        Input = InputField.MaterialName,
        Source = new CsvTaskSource(PolarMetals, "Material", column),
        InstructionOrigin = InstructionOrigin.DarwinStyle,
        Instructions =
        [
            $"Does given material have {property}? ->",
            $"Tell me if given material has {property}. ->",
            $"Given material, does it have {property}? ->",
        ],
        Answer = DarwinPhrasing.YesNo($"{{input}} has {property}.", $"{{input}} does not have {property}.", ["Yes"], [""]),
    };
}
