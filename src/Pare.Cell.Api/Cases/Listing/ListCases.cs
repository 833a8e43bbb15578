using FluentValidation;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Api.Infrastructure.Http;
using Pare.Cell.Api.Infrastructure.Messaging;
using Pare.Cell.Domain.Cases;

namespace Pare.Cell.Api.Cases.Listing;

/// <summary>A page of the cell's cases, oldest opened first; every listed case is journaled.</summary>
/// <param name="Cursor">The <c>nextCursor</c> of the previous page; absent for the first.</param>
/// <param name="Limit">Cases per page (50 when absent).</param>
/// <param name="Worker">Only the cases this worker follows.</param>
/// <param name="Status">Only the open, or only the closed, cases.</param>
/// <param name="HasOpenEpisode">Only the cases whose minor is missing now (or only the others).</param>
public sealed record ListCases(string? Cursor, int? Limit, string? Worker, string? Status, bool? HasOpenEpisode) : IQuery<CasePage>
{
    public CaseStatus? StatusFilter => EnumNames.Parse<CaseStatus>(Status);
}

public sealed record CasePage(IReadOnlyList<CaseView> Items, string? NextCursor);

public sealed class ListCasesValidator : AbstractValidator<ListCases>
{
    public ListCasesValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, ListCasesHandler.MaxLimit);
        RuleFor(q => q.Cursor).MaximumLength(Cursor.MaxLength).Must(c => c is null || Cursor.TryDecode(c, out _))
            .WithMessage(_ => new Pare.Cell.Domain.Common.Bilingual("The cursor is not one this API issued.", "Ce curseur n'a pas été émis par cette API.").ToString());
        RuleFor(q => q.Worker).MaximumLength(100);
        RuleFor(q => q.Status).EnumName<ListCases, CaseStatus>()
            .WithMessage(_ => new Pare.Cell.Domain.Common.Bilingual("Use open or closed.", "Utilisez open ou closed.").ToString());
    }
}

public sealed class ListCasesHandler(IQuerySession session, AccessJournal journal, CurrentUser user, TimeProvider clock)
    : IQueryHandler<ListCases, CasePage>
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public async ValueTask<CasePage> Handle(ListCases query, CancellationToken cancellationToken)
    {
        var limit = query.Limit ?? DefaultLimit;
        var cases = session.Query<Case>().AsQueryable();
        if (query.Cursor is not null && Cursor.TryDecode(query.Cursor, out var after)) cases = cases.Where(c => c.Id > after);
        if (query.Worker is not null) cases = cases.Where(c => c.AssignedWorkerId == query.Worker);
        if (query.StatusFilter is { } status) cases = cases.Where(c => c.Status == status);
        if (query.HasOpenEpisode == true) cases = cases.Where(c => c.MissingEpisodeId != null);
        if (query.HasOpenEpisode == false) cases = cases.Where(c => c.MissingEpisodeId == null);
        var page = await cases.OrderBy(c => c.Id).Take(limit + 1).ToListAsync(cancellationToken);

        var items = page.Take(limit).ToList();
        await journal.RecordAsync(user, items.Select(c => c.Id).ToList(), JournalActions.ListCases, cancellationToken);
        var now = clock.GetUtcNow();
        return new CasePage(
            items.Select(c => CaseView.Of(c, now)).ToList(),
            page.Count > limit ? Cursor.Encode(items[^1].Id) : null);
    }
}

/// <summary>Opaque to clients: the last case id of the page, base64url.</summary>
public static class Cursor
{
    /// <summary>A case id's 16 bytes in URL-safe base64, unpadded.</summary>
    public const int MaxLength = 22;

    public static string Encode(Guid lastId) => Convert.ToBase64String(lastId.ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string cursor, out Guid lastId)
    {
        lastId = default;
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/') + "==";
            var bytes = Convert.FromBase64String(base64);
            if (bytes.Length != 16) return false;
            lastId = new Guid(bytes);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

public static class ListingEndpoint
{
    public static async Task<Ok<CasePage>> Handle(IMediator mediator, [AsParameters] ListCases query, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(query, cancellationToken));
}
