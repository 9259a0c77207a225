using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Security;

namespace ResolutionGateway.Core.Tests.Security;

public sealed class ApiKeysTests
{
    private static readonly DateTimeOffset Now = new(2025, 11, 11, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Generate_ThenTryParse_KeyIdAndSecretMatchingTheHash()
    {
        // Arrange
        var (keyId, token, hash) = ApiKeys.Generate(Now);

        // Act
        var parsed = ApiKeys.TryParse(token, out var parsedKeyId, out var secret);

        // Assert
        Assert.True(parsed);
        Assert.Equal(keyId, parsedKeyId);
        Assert.True(ApiKeys.Matches(secret, hash));
        Assert.Equal(ApiKeys.Hash(secret), hash);
    }

    [Fact]
    public void Generate_Token_PrefixedWithKeyIdAndSecretOfAtLeast256Bits()
    {
        // Arrange
        var (keyId, token, hash) = ApiKeys.Generate(Now);

        // Act
        var parsed = ApiKeys.TryParse(token, out _, out var secret);

        // Assert
        Assert.True(parsed);
        Assert.True(Ids.IsValid(keyId, "key"));
        Assert.Equal($"rg_{keyId}_{secret}", token);
        Assert.True(secret.Length >= 43, "32 random bytes need 43 base-64 characters");
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.DoesNotContain(secret, hash, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_Twice_DifferentKeysAndSecrets()
    {
        // Arrange
        var first = ApiKeys.Generate(Now);

        // Act
        var second = ApiKeys.Generate(Now);

        // Assert
        Assert.NotEqual(first.KeyId, second.KeyId);
        Assert.NotEqual(first.Token, second.Token);
        Assert.NotEqual(first.SecretHash, second.SecretHash);
    }

    [Fact]
    public void Hash_KnownInput_LowerHexSha256()
    {
        // Arrange: the FIPS 180-2 test vector.
        const string secret = "abc";

        // Act
        var hash = ApiKeys.Hash(secret);

        // Assert
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hash);
    }

    [Theory]
    [InlineData("abd")]
    [InlineData("ab")]
    [InlineData("")]
    [InlineData("ABC")]
    public void Matches_OtherSecret_False(string presented)
    {
        // Arrange
        var stored = ApiKeys.Hash("abc");

        // Act
        var matches = ApiKeys.Matches(presented, stored);

        // Assert
        Assert.False(matches);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ba7816bf")]
    [InlineData("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")]
    public void Matches_StoredHashMalformed_False(string stored)
    {
        // Arrange
        const string secret = "abc";

        // Act
        var matches = ApiKeys.Matches(secret, stored);

        // Assert
        Assert.False(matches);
    }

    [Theory]
    [InlineData("")]
    [InlineData("rg_")]
    [InlineData("rg_key_01JCQ8ZK3C7J4M2V0N8X5P6R9T")]
    [InlineData("rg_key_01JCQ8ZK3C7J4M2V0N8X5P6R9T_")]
    [InlineData("rg_key_01JCQ8ZK3C7J4M2V0N8X5P6R9Tsecret")]
    [InlineData("xx_key_01JCQ8ZK3C7J4M2V0N8X5P6R9T_secret")]
    [InlineData("Bearer rg_key_01JCQ8ZK3C7J4M2V0N8X5P6R9T_secret")]
    [InlineData("rg_dsp_01JCQ8ZK3C7J4M2V0N8X5P6R9T_secret")]
    [InlineData("rg_key_01jcq8zk3c7j4m2v0n8x5p6r9t_secret")]
    [InlineData("rg_key_01JCQ8ZK3C7J4M2V0N8X5P6R9_secret")]
    [InlineData("RG_key_01JCQ8ZK3C7J4M2V0N8X5P6R9T_secret")]
    public void TryParse_MalformedToken_False(string token)
    {
        // Arrange: see the inline data.

        // Act
        var parsed = ApiKeys.TryParse(token, out _, out _);

        // Assert
        Assert.False(parsed);
    }

    [Fact]
    public void TryParse_WellFormedLiteral_SplitsKeyIdAndSecret()
    {
        // Arrange
        const string token = "rg_key_01JCQ8ZK3C7J4M2V0N8X5P6R9T_s3cr-et_with_underscores";

        // Act
        var parsed = ApiKeys.TryParse(token, out var keyId, out var secret);

        // Assert
        Assert.True(parsed);
        Assert.Equal("key_01JCQ8ZK3C7J4M2V0N8X5P6R9T", keyId);
        Assert.Equal("s3cr-et_with_underscores", secret);
    }
}
