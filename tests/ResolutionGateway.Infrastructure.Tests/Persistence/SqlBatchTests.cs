using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.Tests.Persistence;

/// <summary>The parameters of a planned batch's statements (pure logic; MySqlWriteTransactionTests runs a batch on MariaDB).</summary>
public sealed class SqlBatchTests
{
    [Fact]
    public void Values_AnonymousObjectAndDictionary_NamesAndValuesInOrder()
    {
        var batch = new SqlBatch()
            .Add("INSERT INTO a (id, v) VALUES (@Id, @Value)", new { Id = "x", Value = 1, Missing = (long?)null })
            .Add("UPDATE b SET v = @Value WHERE id = @Id", new Dictionary<string, object?> { ["Id"] = "y", ["Value"] = 2 });

        var first = SqlBatch.Values(batch.Statements[0].Parameters).ToArray();
        var second = SqlBatch.Values(batch.Statements[1].Parameters).ToArray();

        Assert.Equal([("Id", (object?)"x"), ("Value", 1), ("Missing", null)], first);
        Assert.Equal([("Id", (object?)"y"), ("Value", 2)], second);
    }

    [Fact]
    public void Values_ParameterlessStatement_Empty()
    {
        var batch = new SqlBatch().Add("SELECT @@in_transaction");

        Assert.Empty(SqlBatch.Values(batch.Statements[0].Parameters));
    }

    [Fact]
    public void Values_SameAnonymousTypeTwice_EachInstanceItsOwnValues()
    {
        object Row(string id) => new { Id = id };

        Assert.Equal(("a", "b"), ((string)SqlBatch.Values(Row("a")).Single().Value!, (string)SqlBatch.Values(Row("b")).Single().Value!));
    }
}
