using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging;

namespace DarwinGrid.Web.Components.Shared;

/// <summary>
/// A page that loads once and then, once the circuit is interactive, refreshes on a timer and
/// re-renders (grain state changes without the page being told). The timer stops when the page
/// goes away. A failed refresh is shown, not thrown: the next tick tries again.
/// </summary>
public abstract class PollingComponentBase : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    [Inject] private ILoggerFactory LoggerFactory { get; set; } = default!;

    protected virtual TimeSpan PollInterval => TimeSpan.FromSeconds(1);

    /// <summary>Why the last refresh failed, or null.</summary>
    protected string? LoadError { get; private set; }

    /// <summary>Cancelled when the page is disposed.</summary>
    protected CancellationToken PageToken => _stop.Token;

    protected abstract Task RefreshAsync(CancellationToken cancellationToken);

    protected override Task OnInitializedAsync() => RefreshSafelyAsync();

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
            _ = PollAsync();
    }

    protected async Task RefreshSafelyAsync()
    {
        try
        {
            await RefreshAsync(_stop.Token);
            LoadError = null;
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LoadError = e.Message;
            LoggerFactory.CreateLogger(GetType()).LogWarning(e, "Refreshing {Page} failed", GetType().Name);
        }
    }

    private async Task PollAsync()
    {
        using var timer = new PeriodicTimer(PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                await InvokeAsync(async () =>
                {
                    await RefreshSafelyAsync();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        GC.SuppressFinalize(this);
        Disposing();
    }

    protected virtual void Disposing()
    {
    }
}
