using System.ComponentModel.DataAnnotations;
using Mediator;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Cases.Profile;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Api.Infrastructure.Http;
using Pare.Cell.Api.Infrastructure.OpenApi;
using Pare.Cell.Domain.Cases;
using static Pare.Cell.Api.Cases.Answers;

namespace Pare.Cell.Api.Photos;

/// <summary>The profile's photo: upload (a new profile version), removal, reads (journaled), and partners' signed links.</summary>
public static class PhotosApi
{
    /// <summary>The photo's 10 MB and the multipart envelope around it.</summary>
    public const long UploadLimit = PhotoImages.MaxBytes + 64 * 1024;

    public static IEndpointRouteBuilder MapPhotosApi(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/v1/cases/{caseId:guid}").WithTags("Cases").RequireAuthorization(AccessPolicies.CaseWork);

        cases.MapPut("/profile/photo", async (Guid caseId, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var expected = IfMatch.ExpectedVersion(http, required: true);
                var upload = await ReadUploadAsync(http, ct);
                var view = await mediator.Send(new ChangePhotoRequest(upload) { CaseId = caseId, ExpectedVersion = expected }, ct);
                return Tagged(http, view.CaseVersion, view);
            })
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(UploadLimit))
            .Versioned(IfMatchUse.Required).WithName("UploadMinorPhoto").WithSummary("Upload the minor's photo: a new profile version")
            .WithDescription("multipart/form-data with one file field `photo`: JPEG, PNG or WebP, at most 10 MB. Decoded and re-encoded as a JPEG of at most "
                + "1600 px (and a 320 px thumbnail): every metadata (EXIF, GPS…) removed. 400 naming `photo` for anything else (HEIC, a wrong extension, "
                + "a truncated file, a polyglot, dimensions too large).");
        cases.MapDelete("/profile/photo", async (Guid caseId, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var view = await mediator.Send(new ChangePhotoRequest(null) { CaseId = caseId, ExpectedVersion = IfMatch.ExpectedVersion(http, required: true) }, ct);
                return Tagged(http, view.CaseVersion, view);
            })
            .Versioned(IfMatchUse.Required).WithName("RemoveMinorPhoto").WithSummary("Remove the minor's photo from the profile (earlier versions keep theirs)");
        cases.MapGet("/photos/{photoId:guid}", async Task<Results<FileContentHttpResult, NotFound, ValidationProblem>> (Guid caseId, Guid photoId, PhotoStore photos, CurrentUser user,
                CancellationToken ct, [OneOf("thumbnail")] string? size = null) =>
                size is not (null or "thumbnail")
                    ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["size"] = [new Domain.Common.Bilingual("Leave it out for the photo, or give thumbnail.", "Omettez-le pour la photo, ou indiquez thumbnail.").ToString()] })
                    : await photos.ReadAsync(user.CellId, caseId, photoId, size == "thumbnail", user.UserId, JournalActions.ReadPhoto, ct) is { } jpeg
                    ? TypedResults.File(jpeg, "image/jpeg") : TypedResults.NotFound())
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg")
            .WithName("GetMinorPhoto").WithSummary("One of the case's photos as JPEG (`size=thumbnail` for 320 px); journaled");

        app.MapGet("/api/v1/photo-links/{photoId:guid}", async Task<Results<FileContentHttpResult, NotFound>> (Guid photoId, PhotoLinks links, PhotoStore photos,
                CancellationToken ct,
                // A longer value than these never matches a link: 404 as any link that does not match.
                [MaxLength(100)] string? cell = null, [MaxLength(200)] string? reader = null,
                [Range(0, 253402300799)] long? expires = null, [MaxLength(200)] string? signature = null) =>
            {
                if (cell is null || reader is null || expires is not { } until || signature is null
                    || !links.IsValid(cell, photoId, reader, until, signature)) return TypedResults.NotFound();
                return await photos.ReadAsync(cell, null, photoId, thumbnail: false, reader, JournalActions.PartnerReadPhoto, ct) is { } jpeg
                    ? TypedResults.File(jpeg, "image/jpeg") : TypedResults.NotFound();
            })
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg")
            .AllowAnonymous().WithTags("Partner integration").WithName("GetPhotoByLink")
            .WithSummary("A photo through the short-lived signed link given in a partner's referral view (no token); journaled under the partner's client");
        return app;
    }

    private static async Task<PhotoUpload> ReadUploadAsync(HttpContext http, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType) throw new PhotoRejectedException(Missing);
        var form = await http.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = PhotoImages.MaxBytes, ValueCountLimit = 8 }, ct);
        var file = form.Files.GetFile("photo") ?? throw new PhotoRejectedException(Missing);
        if (file.Length > PhotoImages.MaxBytes) throw new PhotoRejectedException(TooBig);
        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, ct);
        return new PhotoUpload(buffer.ToArray(), file.FileName, file.ContentType);
    }

    private static readonly Domain.Common.Bilingual Missing = new("Send the photo as multipart/form-data, in a file field named photo.",
        "Envoyez la photo en multipart/form-data, dans un champ fichier nommé photo.");
    private static readonly Domain.Common.Bilingual TooBig = new("The photo is larger than 10 MB.", "La photo dépasse 10 Mo.");
}

public sealed record PhotoUpload(byte[] Bytes, string? FileName, string? ContentType);

/// <summary>A new photo for the profile (null: remove the current one).</summary>
public sealed record ChangePhotoRequest(PhotoUpload? Upload) : CaseRequest, ICommand<MinorProfileView>;

public sealed class ChangePhotoHandler(CaseStreams cases, PhotoStore photos, TimeProvider clock) : ICommandHandler<ChangePhotoRequest, MinorProfileView>
{
    public async ValueTask<MinorProfileView> Handle(ChangePhotoRequest r, CancellationToken cancellationToken)
    {
        ProcessedPhoto? processed = null;
        if (r.Upload is { } upload)
        {
            try
            {
                processed = PhotoImages.Process(upload.Bytes, upload.FileName, upload.ContentType);
            }
            catch (Exception e) when (e is not PhotoRejectedException and not OperationCanceledException)
            {
                // Whatever a crafted file makes the decoder do, it is the file's fault: 400, not 500.
                throw new PhotoRejectedException(PhotoImages.Damaged);
            }
        }
        var photoId = Guid.CreateVersion7(clock.GetUtcNow());
        var photo = processed is null ? null : new ProfilePhoto(photoId, processed.Width, processed.Height, clock.GetUtcNow());
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion, (by, now) => new ChangeMinorPhoto(photo, by, now), cancellationToken,
            alsoEnlist: processed is null ? null : session => photos.Enlist(session, r.CaseId, photoId, processed));
        var update = written.Events.OfType<MinorProfileUpdated>().Single();
        return new MinorProfileView(written.State.Profile, written.StreamVersionOf(update), update.Provenance.RecordedAt, update.Provenance.RecordedBy.Id, written.Version) { CaseId = r.CaseId };
    }
}
