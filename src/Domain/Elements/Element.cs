namespace DarwinGrid.Domain.Elements;

/// <summary>A chemical element: its symbol as chemistry writes it (<c>Fe</c>), atomic number and English name.</summary>
public sealed record Element(string Symbol, int AtomicNumber, string Name)
{
    public override string ToString() => Symbol;
}
