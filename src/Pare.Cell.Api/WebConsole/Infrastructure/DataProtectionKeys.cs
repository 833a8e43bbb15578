using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Pare.Cell.Api.WebConsole.Infrastructure;

/// <summary>
/// The keys that encrypt console cookies and antiforgery tokens, kept in PostgreSQL: every API instance
/// sharing the database reads a session cookie any other wrote, and a restart signs no one out. Not per
/// cell: a key protects the mechanism, never a minor's data (like Hangfire's tables). Whoever can read
/// this table can forge a session, as whoever can read the events can read the cases: one trust boundary.
/// </summary>
public sealed class DataProtectionKeys(NpgsqlDataSource dataSource) : IXmlRepository
{
    public const string Schema = """
        create schema if not exists pare;
        create table if not exists pare.data_protection_keys (
            name       text        primary key,
            xml        text        not null,
            created_at timestamptz not null default now()
        );
        """;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var command = dataSource.CreateCommand("select xml from pare.data_protection_keys order by created_at");
        using var reader = command.ExecuteReader();
        var keys = new List<XElement>();
        while (reader.Read()) keys.Add(XElement.Parse(reader.GetString(0)));
        return keys;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var command = dataSource.CreateCommand("insert into pare.data_protection_keys (name, xml) values ($1, $2) on conflict (name) do nothing");
        command.Parameters.Add(new() { Value = friendlyName });
        command.Parameters.Add(new() { Value = element.ToString(SaveOptions.DisableFormatting) });
        command.ExecuteNonQuery();
    }
}

internal sealed class StoreKeysInDatabase(NpgsqlDataSource dataSource) : IConfigureOptions<KeyManagementOptions>
{
    public void Configure(KeyManagementOptions options) => options.XmlRepository = new DataProtectionKeys(dataSource);
}
