using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ResolutionGateway.Core.Webhooks;

namespace ResolutionGateway.Core.Tests.Webhooks;

public sealed partial class WebhookSignatureTests
{
    private const string Secret = "whsec_test";
    private const string OtherSecret = "whsec_other";
    private static readonly DateTimeOffset SentAt = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"a\":1}");
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    [GeneratedRegex("^t=1700000000,v1=[0-9a-f]{64}$")]
    private static partial Regex OneSignature();

    [GeneratedRegex("^t=1700000000,v1=([0-9a-f]{64}),v1=([0-9a-f]{64})$")]
    private static partial Regex TwoSignatures();

    [GeneratedRegex("^whsec_[A-Za-z0-9_-]{43}$")]
    private static partial Regex SecretFormat();

    private static string Hex(string secret, string message) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(message)));

    [Fact]
    public void Sign_KnownAnswer_HmacSha256OfTimestampDotBody()
    {
        // Arrange: computed here with HMACSHA256 directly, and once more outside .NET (Python hmac).
        var expected = Hex("whsec_test", "1700000000.{\"a\":1}");

        // Act
        var header = WebhookSignature.Sign([Secret], SentAt, Body);

        // Assert
        Assert.Equal("38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789", expected);
        Assert.Equal($"t=1700000000,v1={expected}", header);
    }

    [Fact]
    public void Compute_KnownAnswer_SameBytesAsHmacSha256()
    {
        // Arrange
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.ASCII.GetBytes("1700000000.{\"a\":1}"));

        // Act
        var mac = WebhookSignature.Compute(Secret, 1_700_000_000, Body);

        // Assert
        Assert.Equal(expected, mac);
    }

    [Fact]
    public void Compute_NonAsciiSecret_KeyIsUtf8Bytes()
    {
        // Arrange
        const string secret = "whsec_密钥";
        var expected = Hex(secret, "1700000000.{\"a\":1}");

        // Act
        var mac = Convert.ToHexStringLower(WebhookSignature.Compute(secret, 1_700_000_000, Body));

        // Assert
        Assert.Equal(expected, mac);
    }

    [Fact]
    public void Sign_OneSecret_TimestampAndOneV1()
    {
        // Arrange
        string[] secrets = [Secret];

        // Act
        var header = WebhookSignature.Sign(secrets, SentAt, Body);

        // Assert
        Assert.Matches(OneSignature(), header);
    }

    [Fact]
    public void Sign_TwoSecrets_OneV1PerSecretInOrder()
    {
        // Arrange: during a rotation, the current secret and the previous one.
        string[] secrets = [Secret, OtherSecret];

        // Act
        var header = WebhookSignature.Sign(secrets, SentAt, Body);

        // Assert
        var match = TwoSignatures().Match(header);
        Assert.True(match.Success, header);
        Assert.Equal(Hex(Secret, "1700000000.{\"a\":1}"), match.Groups[1].Value);
        Assert.Equal(Hex(OtherSecret, "1700000000.{\"a\":1}"), match.Groups[2].Value);
    }

    [Fact]
    public void Sign_SubSecondTimestamp_WholeSecondsSigned()
    {
        // Arrange
        var sentAt = SentAt.AddMilliseconds(999);

        // Act
        var header = WebhookSignature.Sign([Secret], sentAt, Body);

        // Assert
        Assert.StartsWith("t=1700000000,", header, StringComparison.Ordinal);
        Assert.True(WebhookSignature.Verify(header, Body, Secret, sentAt, Tolerance));
    }

    [Theory]
    [InlineData(Secret)]
    [InlineData(OtherSecret)]
    public void Verify_HeaderSignedWithTwoSecrets_EachSecretAccepted(string receiverSecret)
    {
        // Arrange
        var header = WebhookSignature.Sign([Secret, OtherSecret], SentAt, Body);

        // Act
        var ok = WebhookSignature.Verify(header, Body, receiverSecret, SentAt.AddSeconds(3), Tolerance);

        // Assert
        Assert.True(ok);
    }

    [Fact]
    public void Verify_TamperedBody_Rejected()
    {
        // Arrange
        var header = WebhookSignature.Sign([Secret], SentAt, Body);
        var tampered = Encoding.UTF8.GetBytes("{\"a\":2}");

        // Act
        var ok = WebhookSignature.Verify(header, tampered, Secret, SentAt, Tolerance);

        // Assert
        Assert.False(ok);
    }

    [Fact]
    public void Verify_WrongSecret_Rejected()
    {
        // Arrange
        var header = WebhookSignature.Sign([Secret, OtherSecret], SentAt, Body);

        // Act
        var ok = WebhookSignature.Verify(header, Body, "whsec_someone_else", SentAt, Tolerance);

        // Assert
        Assert.False(ok);
    }

    [Fact]
    public void Verify_TamperedTimestamp_Rejected()
    {
        // Arrange: a replay with a fresh t and the old v1.
        var header = WebhookSignature.Sign([Secret], SentAt, Body).Replace("t=1700000000", "t=1700000100", StringComparison.Ordinal);

        // Act
        var ok = WebhookSignature.Verify(header, Body, Secret, SentAt.AddSeconds(100), Tolerance);

        // Assert
        Assert.False(ok);
    }

    [Theory]
    [InlineData(300, true)]   // exactly at the tolerance
    [InlineData(301, false)]  // stale
    [InlineData(-300, true)]  // sender's clock ahead, within tolerance
    [InlineData(-301, false)] // from the future beyond tolerance
    [InlineData(86_400, false)]
    public void Verify_ReceiverClockOffset_AcceptedOnlyWithinTolerance(int receiverLagSeconds, bool expected)
    {
        // Arrange
        var header = WebhookSignature.Sign([Secret], SentAt, Body);

        // Act
        var ok = WebhookSignature.Verify(header, Body, Secret, SentAt.AddSeconds(receiverLagSeconds), Tolerance);

        // Assert
        Assert.Equal(expected, ok);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("t=1700000000")]                    // no v1
    [InlineData("v1=SIG")]                          // no t
    [InlineData("t=,v1=SIG")]                       // empty t
    [InlineData("t=abc,v1=SIG")]                    // t not a number
    [InlineData("t=-1700000000,v1=SIG")]            // signed t
    [InlineData("t=1700000000,v1=")]                // empty v1
    [InlineData("t=1700000000,v1=SHORT")]           // v1 not 64 characters
    [InlineData("t=1700000000,v1=NONHEX")]          // v1 64 characters, not hex
    [InlineData("t=1700000000,=SIG")]               // empty key
    [InlineData("t=1700000000,v0=SIG")]             // only an unknown scheme
    [InlineData("t=1700000000;v1=SIG")]             // wrong separator
    public void Verify_MalformedHeader_Rejected(string template)
    {
        // Arrange: SIG is a genuine signature, so only the malformation can cause the refusal.
        var sig = Hex(Secret, "1700000000.{\"a\":1}");
        var header = template
            .Replace("NONHEX", new string('z', 64), StringComparison.Ordinal)
            .Replace("SHORT", sig[..63], StringComparison.Ordinal)
            .Replace("SIG", sig, StringComparison.Ordinal);

        // Act
        var ok = WebhookSignature.Verify(header, Body, Secret, SentAt, Tolerance);

        // Assert
        Assert.False(ok);
    }

    [Fact]
    public void Verify_NullHeader_Rejected()
    {
        // Arrange
        string? header = null;

        // Act
        var ok = WebhookSignature.Verify(header, Body, Secret, SentAt, Tolerance);

        // Assert
        Assert.False(ok);
    }

    [Fact]
    public void Verify_UnknownSchemeBesideValidV1_Accepted()
    {
        // Arrange: a future signature scheme next to v1 must not break today's receivers.
        var header = WebhookSignature.Sign([Secret], SentAt, Body).Replace(",v1=", ",v2=abc,v1=", StringComparison.Ordinal);

        // Act
        var ok = WebhookSignature.Verify(header, Body, Secret, SentAt, Tolerance);

        // Assert
        Assert.True(ok);
    }

    [Fact]
    public void Verify_UpperCaseHex_Accepted()
    {
        // Arrange
        var header = "t=1700000000,v1=" + Hex(Secret, "1700000000.{\"a\":1}").ToUpperInvariant();

        // Act
        var ok = WebhookSignature.Verify(header, Body, Secret, SentAt, Tolerance);

        // Assert
        Assert.True(ok);
    }

    [Fact]
    public void NewSecret_Format_WhsecAnd43Base64UrlCharacters()
    {
        // Arrange
        const int count = 50;

        // Act
        var secrets = Enumerable.Range(0, count).Select(_ => WebhookSignature.NewSecret()).ToList();

        // Assert
        Assert.All(secrets, s => Assert.Matches(SecretFormat(), s));
        Assert.Equal(count, secrets.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void NewSecret_Decoded_32RandomBytes()
    {
        // Arrange
        var secret = WebhookSignature.NewSecret();

        // Act
        var base64 = secret["whsec_".Length..].Replace('-', '+').Replace('_', '/') + "=";
        var bytes = Convert.FromBase64String(base64);

        // Assert
        Assert.Equal(32, bytes.Length);
    }
}
