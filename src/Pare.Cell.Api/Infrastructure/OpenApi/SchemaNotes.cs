using System.Runtime.CompilerServices;
using Microsoft.OpenApi;

namespace Pare.Cell.Api.Infrastructure.OpenApi;

/// <summary>
/// What the schema filters learn of a component schema and the document filter decides on, once it knows
/// whether the schema is sent by clients, written by the server, or both (<see cref="ContractDocumentFilter"/>):
/// the members its validators always require, and the members the server always writes.
/// </summary>
public sealed class SchemaNotes
{
    private readonly ConditionalWeakTable<IOpenApiSchema, Note> _notes = new();

    public sealed class Note
    {
        /// <summary>Null when no validator checks the type: nothing is required of a client.</summary>
        public HashSet<string>? Required { get; set; }

        /// <summary>Null when the type is not one the server serializes as such.</summary>
        public HashSet<string>? AlwaysWritten { get; set; }
    }

    public Note Of(IOpenApiSchema schema) => _notes.GetValue(schema, _ => new Note());

    public bool TryGet(IOpenApiSchema schema, out Note note) => _notes.TryGetValue(schema, out note!);

    public void Validated(IOpenApiSchema schema) => Of(schema).Required ??= new HashSet<string>(StringComparer.Ordinal);

    public void Require(IOpenApiSchema schema, string property)
    {
        Validated(schema);
        Of(schema).Required!.Add(property);
    }
}
