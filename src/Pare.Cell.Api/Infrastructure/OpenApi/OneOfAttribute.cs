namespace Pare.Cell.Api.Infrastructure.OpenApi;

/// <summary>
/// A query parameter bound on its own (not from a validated record) that its handler checks against these
/// values, answering 400 for any other: the document lists them as the parameter's enum (<see cref="QueryParameterFilter"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class OneOfAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values { get; } = values;
}
