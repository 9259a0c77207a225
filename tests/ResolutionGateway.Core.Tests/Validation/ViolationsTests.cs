using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Validation;

namespace ResolutionGateway.Core.Tests.Validation;

public sealed class ViolationsTests
{
    private static EvidenceRef Good() => new("https://cdn.example.com/a.jpg", new string('0', 64), "image/jpeg", 1);

    [Fact]
    public void ThrowIfAny_NothingAdded_DoesNotThrow()
    {
        // Arrange
        var v = new Violations();

        // Act
        var ex = Record.Exception(v.ThrowIfAny);

        // Assert
        Assert.Null(ex);
        Assert.True(v.IsEmpty);
    }

    [Fact]
    public void ThrowIfAny_SeveralAdded_ThrowsAllInOrder()
    {
        // Arrange
        var v = new Violations();
        v.Add("a", "first");
        v.Add("b.c", "second");

        // Act
        var ex = Assert.Throws<ValidationException>(v.ThrowIfAny);

        // Assert
        Assert.Equal([new FieldViolation("a", "first"), new FieldViolation("b.c", "second")], ex.Violations);
        Assert.Contains("b.c: second", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("req-1", true)]
    [InlineData("6f1c3c1e-5b0e-4f57-9a53-0d1c0c1d7c11", true)]
    [InlineData("!~", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("req 1", false)]
    [InlineData("req\t1", false)]
    [InlineData("请求", false)]
    public void RequestId_Value_AcceptedOnlyWhenPrintableAscii(string? requestId, bool accepted)
    {
        // Arrange
        var v = new Violations();

        // Act
        v.RequestId(requestId);

        // Assert
        Assert.Equal(accepted, v.IsEmpty);
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void RequestId_Length_AtMost64(int length, bool accepted)
    {
        // Arrange
        var v = new Violations();

        // Act
        v.RequestId(new string('r', length));

        // Assert
        Assert.Equal(accepted, v.IsEmpty);
    }

    [Theory]
    [InlineData("330106", true)]
    [InlineData("110101", true)]
    [InlineData("820000", true)]
    [InlineData("100000", false)]
    [InlineData("830000", false)]
    [InlineData("33010", false)]
    [InlineData("3301066", false)]
    [InlineData("33O106", false)]
    public void IsRegionCode_Value_SixDigitsWithProvince11To82(string code, bool expected)
    {
        // Arrange: see the inline data.

        // Act
        var valid = Violations.IsRegionCode(code);

        // Assert
        Assert.Equal(expected, valid);
    }

    [Theory]
    [InlineData("33", true)]
    [InlineData("3301", true)]
    [InlineData("330106", true)]
    [InlineData("3", false)]
    [InlineData("330", false)]
    [InlineData("99", false)]
    [InlineData("", false)]
    public void IsRegionPrefix_Value_TwoFourOrSixDigits(string prefix, bool expected)
    {
        // Arrange: see the inline data.

        // Act
        var valid = Violations.IsRegionPrefix(prefix);

        // Assert
        Assert.Equal(expected, valid);
    }

    [Theory]
    [InlineData("CNY", 0, null)]
    [InlineData("CNY", -1, "m.minor_units")]
    [InlineData("cny", 1, "m.currency_code")]
    [InlineData("RMB1", 1, "m.currency_code")]
    [InlineData("", 1, "m.currency_code")]
    public void Money_Value_CurrencyAndSignChecked(string currency, long minor, string? field)
    {
        // Arrange
        var v = new Violations();

        // Act
        v.Money(new Money(currency, minor), "m", required: true);

        // Assert
        if (field is null)
        {
            Assert.True(v.IsEmpty);
        }
        else
        {
            Assert.Equal(field, Assert.Single(Assert.Throws<ValidationException>(v.ThrowIfAny).Violations).Field);
        }
    }

    [Fact]
    public void Money_MissingWhenRequired_Violation()
    {
        // Arrange
        var v = new Violations();

        // Act
        v.Money(null, "order.amount", required: true);
        v.Money(null, "demand.amount", required: false);

        // Assert
        Assert.Equal("order.amount", Assert.Single(Assert.Throws<ValidationException>(v.ThrowIfAny).Violations).Field);
    }

    [Theory]
    [InlineData("https://cdn.example.com/a.jpg")]
    [InlineData("s3://bucket/key.jpg")]
    [InlineData("oss://bucket/key.jpg")]
    public void Evidence_AllowedScheme_Accepted(string uri)
    {
        // Arrange
        var v = new Violations();

        // Act
        v.Evidence([Good() with { Uri = uri }], "evidence");

        // Assert
        Assert.True(v.IsEmpty);
    }

    [Theory]
    [InlineData("http://cdn.example.com/a.jpg")] // evidence must travel encrypted
    [InlineData("ftp://example.com/a.jpg")]
    [InlineData("file:///etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("a.jpg")]
    [InlineData("")]
    public void Evidence_BadUri_ViolationOnUri(string uri)
    {
        // Arrange
        var v = new Violations();

        // Act
        v.Evidence([Good(), Good() with { Uri = uri }], "evidence");

        // Assert
        Assert.Equal("evidence[1].uri", Assert.Single(Assert.Throws<ValidationException>(v.ThrowIfAny).Violations).Field);
    }

    [Fact]
    public void Evidence_UriOver2048Characters_ViolationOnUri()
    {
        // Arrange
        var v = new Violations();
        var uri = "https://cdn.example.com/" + new string('a', 2048 - 24 + 1);

        // Act
        v.Evidence([Good() with { Uri = uri }], "evidence");

        // Assert
        Assert.Equal("evidence[0].uri", Assert.Single(Assert.Throws<ValidationException>(v.ThrowIfAny).Violations).Field);
    }

    [Fact]
    public void Evidence_EverythingWrong_OneViolationPerField()
    {
        // Arrange
        var v = new Violations();

        // Act
        v.Evidence([new EvidenceRef("nope", "ABC", "", 0)], "message.evidence");

        // Assert
        Assert.Equal(
            ["message.evidence[0].uri", "message.evidence[0].sha256", "message.evidence[0].content_type", "message.evidence[0].size_bytes"],
            Assert.Throws<ValidationException>(v.ThrowIfAny).Violations.Select(x => x.Field));
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(Violations.MaxEvidenceBytes, true)]
    [InlineData(0, false)]
    [InlineData(-5, false)]
    [InlineData(Violations.MaxEvidenceBytes + 1, false)]
    public void Evidence_Size_OneByteTo100MiB(long size, bool accepted)
    {
        // Arrange
        var v = new Violations();

        // Act
        v.Evidence([Good() with { SizeBytes = size }], "evidence");

        // Assert
        Assert.Equal(accepted, v.IsEmpty);
    }
}
