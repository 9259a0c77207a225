using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.Tests.TestSupport;

namespace ResolutionGateway.Core.Tests.Security;

public sealed class AuthenticatorTests
{
    private static readonly DateTimeOffset Start = new(2025, 11, 11, 2, 0, 0, TimeSpan.Zero);

    private readonly InMemoryDirectoryStore _store = new();
    private readonly ManualTimeProvider _clock = new(Start);
    private readonly Authenticator _authenticator;

    public AuthenticatorTests() => _authenticator = new Authenticator(_store, _clock);

    private async Task<(string KeyId, string Token)> IssueAsync(CredentialRole role, string scope)
    {
        var (keyId, token, hash) = ApiKeys.Generate(_clock.GetUtcNow());
        await _store.InsertApiKeyAsync(new ApiKeyRecord(keyId, hash, role, scope, "test key", _clock.GetUtcNow(), null), CancellationToken.None);
        return (keyId, token);
    }

    [Theory]
    [InlineData(CredentialRole.Channel, "alipay")]
    [InlineData(CredentialRole.Merchant, "m_west_lake_tea")]
    [InlineData(CredentialRole.Regulator, "3301")]
    [InlineData(CredentialRole.Admin, "")]
    public async Task AuthenticateAsync_ValidToken_PrincipalWithRoleScopeAndKeyId(CredentialRole role, string scope)
    {
        // Arrange
        var (keyId, token) = await IssueAsync(role, scope);

        // Act
        var principal = await _authenticator.AuthenticateAsync(token, CancellationToken.None);

        // Assert
        Assert.Equal(new Principal(role, scope, keyId), principal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task AuthenticateAsync_MissingToken_Unauthenticated(string? token)
    {
        // Arrange: nothing issued.

        // Act
        var ex = await Record.ExceptionAsync(() => _authenticator.AuthenticateAsync(token, CancellationToken.None));

        // Assert
        Assert.IsType<UnauthenticatedException>(ex);
        Assert.Equal(0, _store.KeyLookups);
    }

    [Fact]
    public async Task AuthenticateAsync_MalformedToken_UnauthenticatedWithoutStoreLookup()
    {
        // Arrange
        const string token = "Bearer something";

        // Act
        var ex = await Record.ExceptionAsync(() => _authenticator.AuthenticateAsync(token, CancellationToken.None));

        // Assert
        Assert.IsType<UnauthenticatedException>(ex);
        Assert.Equal(0, _store.KeyLookups);
    }

    [Fact]
    public async Task AuthenticateAsync_WrongSecret_Unauthenticated()
    {
        // Arrange
        var (keyId, _) = await IssueAsync(CredentialRole.Channel, "alipay");
        var forged = $"rg_{keyId}_{new string('A', 43)}";

        // Act
        var ex = await Record.ExceptionAsync(() => _authenticator.AuthenticateAsync(forged, CancellationToken.None));

        // Assert
        Assert.IsType<UnauthenticatedException>(ex);
    }

    [Fact]
    public async Task AuthenticateAsync_WrongSecretWhileKeyCached_Unauthenticated()
    {
        // Arrange: a good call puts the key in the cache.
        var (keyId, token) = await IssueAsync(CredentialRole.Channel, "alipay");
        await _authenticator.AuthenticateAsync(token, CancellationToken.None);
        var forged = $"rg_{keyId}_{new string('A', 43)}";

        // Act
        var ex = await Record.ExceptionAsync(() => _authenticator.AuthenticateAsync(forged, CancellationToken.None));

        // Assert
        Assert.IsType<UnauthenticatedException>(ex);
    }

    [Fact]
    public async Task AuthenticateAsync_UnknownKey_Unauthenticated()
    {
        // Arrange: well-formed, never stored.
        var (_, token, _) = ApiKeys.Generate(Start);

        // Act
        var ex = await Record.ExceptionAsync(() => _authenticator.AuthenticateAsync(token, CancellationToken.None));

        // Assert
        Assert.IsType<UnauthenticatedException>(ex);
        Assert.Equal(1, _store.KeyLookups);
    }

    [Fact]
    public async Task AuthenticateAsync_RevokedKey_Unauthenticated()
    {
        // Arrange
        var (keyId, token) = await IssueAsync(CredentialRole.Merchant, "m_west_lake_tea");
        await _store.RevokeApiKeyAsync(keyId, Start, CancellationToken.None);

        // Act
        var ex = await Record.ExceptionAsync(() => _authenticator.AuthenticateAsync(token, CancellationToken.None));

        // Assert
        Assert.IsType<UnauthenticatedException>(ex);
    }

    [Fact]
    public async Task AuthenticateAsync_RepeatedWithinTtl_OneStoreLookup()
    {
        // Arrange
        var (_, token) = await IssueAsync(CredentialRole.Channel, "alipay");

        // Act
        for (var i = 0; i < 5; i++)
        {
            await _authenticator.AuthenticateAsync(token, CancellationToken.None);
            _clock.Advance(TimeSpan.FromSeconds(1) - TimeSpan.FromMilliseconds(1));
        }

        // Assert
        Assert.Equal(1, _store.KeyLookups);
    }

    [Fact]
    public async Task AuthenticateAsync_RevokedInStoreWithoutForget_AcceptedUntilTtlPasses()
    {
        // Arrange: another node revokes the key; this node still holds it in its cache.
        var (keyId, token) = await IssueAsync(CredentialRole.Channel, "alipay");
        await _authenticator.AuthenticateAsync(token, CancellationToken.None);
        await _store.RevokeApiKeyAsync(keyId, Start, CancellationToken.None);

        // Act
        _clock.Advance(Authenticator.CacheTtl - TimeSpan.FromMilliseconds(1));
        var stillAccepted = await Record.ExceptionAsync(() => _authenticator.AuthenticateAsync(token, CancellationToken.None));
        _clock.Advance(TimeSpan.FromMilliseconds(2));
        var afterTtl = await Record.ExceptionAsync(() => _authenticator.AuthenticateAsync(token, CancellationToken.None));

        // Assert
        Assert.Null(stillAccepted);
        Assert.IsType<UnauthenticatedException>(afterTtl);
        Assert.Equal(2, _store.KeyLookups);
    }

    [Fact]
    public async Task AuthenticateAsync_RevokedAndForgotten_RefusedAtOnce()
    {
        // Arrange
        var (keyId, token) = await IssueAsync(CredentialRole.Channel, "alipay");
        await _authenticator.AuthenticateAsync(token, CancellationToken.None);
        await _store.RevokeApiKeyAsync(keyId, Start, CancellationToken.None);

        // Act
        _authenticator.Forget(keyId);
        var ex = await Record.ExceptionAsync(() => _authenticator.AuthenticateAsync(token, CancellationToken.None));

        // Assert
        Assert.IsType<UnauthenticatedException>(ex);
    }

    [Fact]
    public async Task AuthenticateAsync_UnknownKeyAddedLater_AcceptedWithoutWaitingForTtl()
    {
        // Arrange: a failed lookup must not be cached as "unknown".
        var (keyId, token, hash) = ApiKeys.Generate(Start);
        await Record.ExceptionAsync(() => _authenticator.AuthenticateAsync(token, CancellationToken.None));
        await _store.InsertApiKeyAsync(new ApiKeyRecord(keyId, hash, CredentialRole.Channel, "alipay", "", Start, null), CancellationToken.None);

        // Act
        var principal = await _authenticator.AuthenticateAsync(token, CancellationToken.None);

        // Assert
        Assert.Equal(keyId, principal.KeyId);
    }
}
