using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.UseCases;

namespace ResolutionGateway.Core.Tests.UseCases;

public sealed class ReplayAdmissionTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task RunAsync_PermitFree_RunsTheRead()
    {
        using var admission = new ReplayAdmission(1, 10, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), TimeProvider.System);

        Assert.Equal(42, await admission.RunAsync(_ => Task.FromResult(42), Ct));
        // The permit came back: a second read runs too.
        Assert.Equal(43, await admission.RunAsync(_ => Task.FromResult(43), Ct));
    }

    [Fact]
    public async Task RunAsync_AllPermitsHeldPastTheWait_RefusedWithRetryAfterAndReadNotRun()
    {
        using var admission = new ReplayAdmission(1, 10, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(3), TimeProvider.System);
        var release = new TaskCompletionSource<int>();
        var holding = admission.RunAsync(_ => release.Task, Ct);
        var ran = false;

        var refused = await Assert.ThrowsAsync<OverloadedException>(() => admission.RunAsync(_ => { ran = true; return Task.FromResult(0); }, Ct));

        Assert.Equal(TimeSpan.FromSeconds(3), refused.RetryAfter);
        Assert.False(ran);
        release.SetResult(1);
        Assert.Equal(1, await holding);
    }

    [Fact]
    public async Task RunAsync_PermitReleasedWhileWaiting_RunsTheWaitingRead()
    {
        using var admission = new ReplayAdmission(1, 10, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeProvider.System);
        var release = new TaskCompletionSource<int>();
        var holding = admission.RunAsync(_ => release.Task, Ct);
        var waiting = admission.RunAsync(_ => Task.FromResult(7), Ct);
        Assert.False(waiting.IsCompleted);

        release.SetResult(1);

        Assert.Equal(7, await waiting);
        Assert.Equal(1, await holding);
    }

    [Fact]
    public async Task RunAsync_NoLimit_SecondReadRunsWhileTheFirstHolds()
    {
        using var admission = new ReplayAdmission(0, 0, TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeProvider.System);
        var release = new TaskCompletionSource<int>();
        var holding = admission.RunAsync(_ => release.Task, Ct);

        Assert.Equal(9, await admission.RunAsync(_ => Task.FromResult(9), Ct));

        release.SetResult(1);
        Assert.Equal(1, await holding);
    }

    [Fact]
    public async Task RunAsync_QueueFull_RefusedAtOnce()
    {
        using var admission = new ReplayAdmission(1, 1, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeProvider.System);
        var release = new TaskCompletionSource<int>();
        var holding = admission.RunAsync(_ => release.Task, Ct);
        var queued = admission.RunAsync(_ => Task.FromResult(2), Ct);

        await Assert.ThrowsAsync<OverloadedException>(() => admission.RunAsync(_ => Task.FromResult(3), Ct));

        release.SetResult(1);
        Assert.Equal(2, await queued);
        Assert.Equal(1, await holding);
    }

    [Fact]
    public async Task RunAsync_ReadFails_PermitReturned()
    {
        using var admission = new ReplayAdmission(1, 0, TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeProvider.System);

        await Assert.ThrowsAsync<InvalidOperationException>(() => admission.RunAsync<int>(_ => throw new InvalidOperationException("db down"), Ct));

        // With no queue at all, a permit not given back would refuse this one.
        Assert.Equal(5, await admission.RunAsync(_ => Task.FromResult(5), Ct));
    }

    [Fact]
    public async Task RunAsync_CallerCancelsWhileWaiting_CancelledNotRefused()
    {
        using var admission = new ReplayAdmission(1, 10, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeProvider.System);
        var release = new TaskCompletionSource<int>();
        var holding = admission.RunAsync(_ => release.Task, Ct);
        using var cancel = new CancellationTokenSource();
        var waiting = admission.RunAsync(_ => Task.FromResult(0), cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        release.SetResult(1);
        Assert.Equal(1, await holding);
    }
}
