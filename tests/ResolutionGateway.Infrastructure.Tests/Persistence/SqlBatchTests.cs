using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.Tests.Persistence;

/// <summary>The joining of a planned batch into one MySQL command (pure logic).</summary>
public sealed class SqlBatchTests
{
    [Fact]
    public void Joined_SameParameterNameInTwoStatements_RenamedPerStatementWithTheirOwnValues()
    {
        var batch = new SqlBatch()
            .Add("INSERT INTO a (id, v) VALUES (@Id, @Value)", new { Id = "x", Value = 1 })
            .Add("UPDATE b SET v = @Value WHERE id = @Id", new Dictionary<string, object?> { ["Id"] = "y", ["Value"] = 2 });

        var (sql, parameters) = batch.Joined("BEGIN;\n", "COMMIT");

        Assert.Equal("BEGIN;\nINSERT INTO a (id, v) VALUES (@s0_Id, @s0_Value);\nUPDATE b SET v = @s1_Value WHERE id = @s1_Id;\nCOMMIT", sql);
        Assert.Equal(["s0_Id", "s0_Value", "s1_Id", "s1_Value"], parameters.ParameterNames.Order());
        Assert.Equal(("x", 1, "y", 2), (parameters.Get<string>("s0_Id"), parameters.Get<int>("s0_Value"), parameters.Get<string>("s1_Id"), parameters.Get<int>("s1_Value")));
    }

    [Fact]
    public void Joined_ServerVariableAndParameterlessStatement_LeftAsTheyAre()
    {
        var batch = new SqlBatch().Add("SELECT @@in_transaction").Add("DELETE FROM t WHERE a = @A AND b = @AB", new { A = 1, AB = 2 });

        var (sql, parameters) = batch.Joined("", "");

        Assert.Equal("SELECT @@in_transaction;\nDELETE FROM t WHERE a = @s1_A AND b = @s1_AB;\n", sql);
        Assert.Equal(["s1_A", "s1_AB"], parameters.ParameterNames.Order());
    }
}
