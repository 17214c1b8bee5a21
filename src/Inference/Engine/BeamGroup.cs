using DarwinGrid.Inference.Decoding;

namespace DarwinGrid.Inference.Engine;

/// <summary>
/// The sequences of one distribution search: its live beams (index = beam number) and the slots
/// it reserved but does not use right now. Slots are reserved for the search's widest step when it
/// is admitted, so a search never waits for a slot halfway (and never depends on other requests).
/// </summary>
internal sealed class BeamGroup(NumberDistributionDecoder search, PrefixCache.Entry? prefix, int reservedCells)
{
    public NumberDistributionDecoder Search { get; } = search;

    public PrefixCache.Entry? Prefix { get; } = prefix;

    public int ReservedCells { get; } = reservedCells;

    public List<ActiveSequence> Members { get; } = [];

    public Stack<int> SpareSlots { get; } = new();

    /// <summary>Set when any member got logits this step.</summary>
    public bool Observed { get; set; }
}
