namespace ResolutionGateway.Core.Tests.TestSupport;

/// <summary>
/// A clock that moves only when told to. Stands in for FakeTimeProvider: the version pinned in
/// Directory.Packages.props (Microsoft.Extensions.TimeProvider.Testing 10.0.0) is not on the package
/// mirror, and the tests need nothing but GetUtcNow and Advance.
/// </summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(by), "time only moves forward");
        }
        _now += by;
    }
}
