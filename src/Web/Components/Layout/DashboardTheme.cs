using MudBlazor;

namespace DarwinGrid.Web.Components.Layout;

/// <summary>The dashboard's palette: a calm lab look rather than MudBlazor's default purple.</summary>
public static class DashboardTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f6f8b",
            Secondary = "#e07a2f",
            AppbarBackground = "#17324d",
            Background = "#f5f7fa",
            DrawerBackground = "#ffffff",
        },
    };
}
