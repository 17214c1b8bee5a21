namespace DarwinGrid.Domain.Tasks;

/// <summary>
/// What kind of text a task's input is. Inputs stay plain strings here; the composition parser
/// (elsewhere) decides whether a <see cref="Composition"/> or <see cref="Alloy"/> is well formed.
/// </summary>
public enum InputField
{
    /// <summary>A chemical composition such as <c>Ag(W3Br7)2</c> or <c>Fe0.62C0.000953...</c>.</summary>
    Composition,
    /// <summary>An alloy written as a composition with fractions, e.g. <c>Ag0.05Zr0.95</c>.</summary>
    Alloy,
    /// <summary>A reduced chemical formula of a compound, e.g. <c>Ca5Al2Sb6</c>, <c>CH6NGeBr3</c>.</summary>
    Formula,
    /// <summary>A material label that may carry doping or heterostructure notes, e.g. <c>BaTiO3 (La-doped)</c>.</summary>
    MaterialName,
    Smiles,
    Selfies,
    InChI,
    Iupac,
    /// <summary>A MOF written with ligand names, e.g. <c>Zn(pyrazine)2(SiF6)</c>.</summary>
    MofName,
    /// <summary>A MOF unit-cell composition with spaces, e.g. <c>Co2 H4 C8 O8</c>.</summary>
    MofComposition,
    /// <summary>A perovskite absorber formula, e.g. <c>(FASnI3)0.6(MAPbI3)0.4</c>.</summary>
    PerovskiteAbsorber,
    /// <summary>A multi-line perovskite solar-cell schema (SII_MDP: "Substrate stack sequence: ...").</summary>
    SolarCellSchema,
    /// <summary>No input field: DARWIN puts the donor SMILES and acceptor inside the instruction (opv).</summary>
    DonorAcceptorInInstruction,
}
