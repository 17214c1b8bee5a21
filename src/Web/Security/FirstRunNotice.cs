namespace DarwinGrid.Web.Security;

/// <summary>Where the generated admin password is printed, once (the console unless a host or test says otherwise).</summary>
public sealed class FirstRunNotice(TextWriter writer)
{
    public void AdminPasswordGenerated(string user, string password, string? storedAt)
    {
        writer.WriteLine("Dashboard first run: sign in as '{0}' with password '{1}'", user, password);
        writer.WriteLine(storedAt is null
            ? "  (not stored: no home folder; a new one is generated at every start. Set DarwinGrid__Web__AdminPassword to choose it.)"
            : $"  (shown only now; its hash is kept in {storedAt}. Set DarwinGrid__Web__AdminPassword to choose your own.)");
        writer.Flush();
    }
}
