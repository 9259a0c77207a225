using System.Buffers.Text;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Events;

namespace ResolutionGateway.Core.Tests.Events;

public sealed class FeedCursorTests
{
    private static string Token(byte[] bytes) => "c1_" + Base64Url.EncodeToString(bytes);

    private static long[] Vector(long value) => Enumerable.Repeat(value, FeedCursor.Partitions).ToArray();

    public static TheoryData<long> EdgeValues() => [0, 1, 127, 128, 16_383, 16_384, int.MaxValue, (long)int.MaxValue + 1, long.MaxValue - 1, long.MaxValue];

    [Theory]
    [MemberData(nameof(EdgeValues))]
    public void Decode_EncodedEdgeValue_RoundTrips(long value)
    {
        // Arrange
        var positions = Vector(value);
        positions[3] = 0;
        positions[15] = long.MaxValue;

        // Act
        var decoded = FeedCursor.Decode(FeedCursor.Encode(positions));

        // Assert
        Assert.Equal(positions, decoded);
    }

    [Fact]
    public void Decode_EncodedRandomVectors_RoundTrip()
    {
        // Arrange: a fixed seed keeps failures reproducible; magnitudes span every varint length.
        var random = new Random(20251111);
        var vectors = Enumerable.Range(0, 500).Select(_ => Enumerable.Range(0, FeedCursor.Partitions)
            .Select(_ => random.Next(4) switch
            {
                0 => 0,
                1 => random.NextInt64(0, 1_000),
                2 => random.NextInt64(0, long.MaxValue >> random.Next(63)),
                _ => long.MaxValue - random.NextInt64(0, 3),
            }).ToArray()).ToList();

        // Act
        var failures = vectors.Where(v => !FeedCursor.Decode(FeedCursor.Encode(v)).SequenceEqual(v)).ToList();

        // Assert
        Assert.Empty(failures);
    }

    [Fact]
    public void Encode_AnyVector_UrlSafePrefixedToken()
    {
        // Arrange
        var positions = Vector(long.MaxValue);

        // Act
        var token = FeedCursor.Encode(positions);

        // Assert
        Assert.StartsWith("c1_", token, StringComparison.Ordinal);
        Assert.All(token[3..], c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}' is not URL-safe"));
        Assert.True(token.Length <= 512);
    }

    [Theory]
    [InlineData("")]
    [InlineData("c1_")]
    [InlineData("c1")]
    [InlineData("c2_AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("C1_AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("c1_!!!!")]
    [InlineData("c1_AAAA*AAAAAAAAAAAAAAAAA")]
    [InlineData("c1_+/AAAAAAAAAAAAAAAAAAAA")]
    [InlineData("c1_A")]
    [InlineData("not a cursor")]
    public void Decode_Garbage_ValidationException(string cursor)
    {
        // Arrange: see the inline data.

        // Act
        var ex = Assert.Throws<ValidationException>(() => FeedCursor.Decode(cursor));

        // Assert
        Assert.Equal("after_cursor", Assert.Single(ex.Violations).Field);
    }

    [Fact]
    public void Decode_FifteenPositions_ValidationException()
    {
        // Arrange: one partition short.
        var cursor = Token(new byte[FeedCursor.Partitions - 1]);

        // Act
        var ex = Record.Exception(() => FeedCursor.Decode(cursor));

        // Assert
        Assert.IsType<ValidationException>(ex);
    }

    [Fact]
    public void Decode_LastVarintCutOff_ValidationException()
    {
        // Arrange: the 16th position's continuation bit promises a byte that never comes.
        var bytes = new byte[FeedCursor.Partitions];
        bytes[^1] = 0x80;

        // Act
        var ex = Record.Exception(() => FeedCursor.Decode(Token(bytes)));

        // Assert
        Assert.IsType<ValidationException>(ex);
    }

    [Fact]
    public void Decode_ExtraByteAfterSixteenPositions_ValidationException()
    {
        // Arrange
        var cursor = Token(new byte[FeedCursor.Partitions + 1]);

        // Act
        var ex = Record.Exception(() => FeedCursor.Decode(cursor));

        // Assert
        Assert.IsType<ValidationException>(ex);
    }

    [Fact]
    public void Decode_ValidTokenWithTruncatedTail_ValidationException()
    {
        // Arrange: every position needs two bytes, so dropping base-64 characters loses whole varints.
        var token = FeedCursor.Encode(Vector(300));

        // Act
        var failures = Enumerable.Range(1, 8)
            .Select(n => Record.Exception(() => FeedCursor.Decode(token[..^n])))
            .ToList();

        // Assert
        Assert.All(failures, ex => Assert.IsType<ValidationException>(ex));
    }

    [Fact]
    public void Decode_PositionAboveLongMaxValue_ValidationException()
    {
        // Arrange: 2^63 as a 10-byte varint in the first partition.
        var bytes = new byte[10 + FeedCursor.Partitions - 1];
        for (var i = 0; i < 9; i++)
        {
            bytes[i] = 0x80;
        }
        bytes[9] = 0x01;

        // Act
        var ex = Record.Exception(() => FeedCursor.Decode(Token(bytes)));

        // Assert
        Assert.IsType<ValidationException>(ex);
    }

    [Fact]
    public void Decode_VarintLongerThanTenBytes_ValidationException()
    {
        // Arrange
        var bytes = Enumerable.Repeat((byte)0x80, 11).Append((byte)0).Concat(new byte[FeedCursor.Partitions - 1]).ToArray();

        // Act
        var ex = Record.Exception(() => FeedCursor.Decode(Token(bytes)));

        // Assert
        Assert.IsType<ValidationException>(ex);
    }

    [Fact]
    public void Decode_OverlongCursor_ValidationException()
    {
        // Arrange
        var cursor = "c1_" + new string('A', 600);

        // Act
        var ex = Record.Exception(() => FeedCursor.Decode(cursor));

        // Assert
        Assert.IsType<ValidationException>(ex);
    }

    [Fact]
    public void Decode_CustomField_ViolationNamesIt()
    {
        // Arrange
        const string field = "page_token";

        // Act
        var ex = Assert.Throws<ValidationException>(() => FeedCursor.Decode("garbage", field));

        // Assert
        Assert.Equal(field, Assert.Single(ex.Violations).Field);
    }

    // Regression (bug found and fixed): Decode promises to reject "anything not made by Encode",
    // but its varint loop accepts non-minimal encodings (0x80 0x00 for 0) and, at shift 63, keeps
    // only the lowest bit of the tenth byte, silently dropping the others. Such cursors decode to
    // positions that re-encode to a different token.
    [Theory]
    [InlineData("overlong zero")]
    [InlineData("tenth byte with dropped bits")]
    public void Decode_NonCanonicalVarint_ValidationException(string form)
    {
        // Arrange
        var first = form == "overlong zero"
            ? new byte[] { 0x80, 0x00 }
            : [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7e];
        var cursor = Token([.. first, .. new byte[FeedCursor.Partitions - 1]]);

        // Act
        var ex = Record.Exception(() => FeedCursor.Decode(cursor));

        // Assert
        Assert.IsType<ValidationException>(ex);
    }

    [Theory]
    [InlineData("dsp_01JCQ8ZK3C7J4M2V0N8X5P6R9T", 5)]
    [InlineData("dsp_01JCQ8ZK3C7J4M2V0N8X5P6R9V", 15)]
    [InlineData("a", 12)]
    [InlineData("b", 5)]
    public void PartitionOf_KnownId_SameAsDeployedFnv1a(string disputeId, int expected)
    {
        // Arrange: expected values computed independently (FNV-1a 32-bit over UTF-16 code units, mod 16);
        // partitions are stored, so the function must never change.

        // Act
        var partition = FeedCursor.PartitionOf(disputeId);

        // Assert
        Assert.Equal(expected, partition);
    }

    [Fact]
    public void PartitionOf_ManyIds_StableInRangeAndSpreadOverAllPartitions()
    {
        // Arrange
        var ids = Enumerable.Range(0, 2000).Select(i => Ids.New("dsp", DateTimeOffset.UnixEpoch.AddMinutes(i))).ToList();

        // Act
        var first = ids.Select(FeedCursor.PartitionOf).ToList();
        var second = ids.Select(FeedCursor.PartitionOf).ToList();

        // Assert
        Assert.Equal(first, second);
        Assert.All(first, p => Assert.InRange(p, 0, FeedCursor.Partitions - 1));
        Assert.Equal(FeedCursor.Partitions, first.Distinct().Count());
        Assert.All(first.CountBy(p => p), g => Assert.InRange(g.Value, 2000 / FeedCursor.Partitions / 2, 2000 / FeedCursor.Partitions * 2));
    }
}
