using Npgsql;
using Pare.Cell.Api.Infrastructure.Database;

namespace Pare.Cell.Api.Tests.Foundation;

public sealed class DataSourceTests
{
    private static NpgsqlConnectionStringBuilder SettingsOf(string connectionString)
    {
        using var dataSource = PareDatabase.CreateDataSource(connectionString);
        return new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
    }

    [Fact]
    public void The_pool_is_small_and_connections_go_back_to_it_as_they_are()
    {
        var settings = SettingsOf("Host=127.0.0.1;Database=pare;Username=postgres");
        settings.MaxPoolSize.ShouldBe(PareDatabase.DefaultMaxPoolSize);
        settings.NoResetOnClose.ShouldBeTrue();
        settings.MaxAutoPrepare.ShouldBeGreaterThan(0);
    }

    [Theory]
    [InlineData("Maximum Pool Size=50")]
    [InlineData("maxpoolsize=50")]
    public void An_operator_setting_the_pool_size_keeps_it(string setting) =>
        SettingsOf($"Host=127.0.0.1;Database=pare;Username=postgres;{setting}").MaxPoolSize.ShouldBe(50);
}
