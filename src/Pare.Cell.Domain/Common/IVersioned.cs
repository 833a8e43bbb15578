namespace Pare.Cell.Domain.Common;

/// <summary>State folded from a stream, carrying the stream's version (its ETag); set by the event store, never by domain code.</summary>
public interface IVersioned
{
    long Version { get; set; }
}
