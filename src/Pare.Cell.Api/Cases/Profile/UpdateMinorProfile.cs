using Pare.Cell.Api.Infrastructure.Messaging;
using FluentValidation;
using Mediator;
using Pare.Cell.Domain.Cases;

namespace Pare.Cell.Api.Cases.Profile;

/// <summary>
/// Replace the minor's profile (fiche de signalement) with its new version. Kept current before
/// any runaway: it is what leaves with a prosecutor alert. Every version stays in the history.
/// </summary>
public sealed record UpdateMinorProfileRequest(
    PhysicalDescription? Description,
    string? PhotoReference,
    IReadOnlyList<string>? Phones,
    IReadOnlyList<SocialMediaHandle>? SocialMedia,
    IReadOnlyList<Associate>? Associates,
    IReadOnlyList<string>? PlacesFrequented,
    HealthNeeds? Health,
    IReadOnlyList<string>? Aliases = null) : CaseRequest, ICommand<MinorProfileView>
{
    public MinorProfile ToProfile() => new(Description, PhotoReference, Phones ?? [], SocialMedia ?? [], Associates ?? [], PlacesFrequented ?? [], Health)
    {
        Aliases = [.. (Aliases ?? []).Select(a => a.Trim())],
    };
}

public sealed class UpdateMinorProfileValidator : AbstractValidator<UpdateMinorProfileRequest>
{
    private const int ShortText = 200;
    private const int LongText = 2000;
    private const int MaxItems = 30;

    public UpdateMinorProfileValidator()
    {
        RuleFor(r => r.Description).ChildRules(d =>
        {
            d.RuleFor(x => x!.HeightCm).InclusiveBetween(50, 230);
            d.RuleFor(x => x!.Build).MaximumLength(ShortText);
            d.RuleFor(x => x!.Hair).MaximumLength(ShortText);
            d.RuleFor(x => x!.Eyes).MaximumLength(ShortText);
            d.RuleFor(x => x!.DistinguishingMarks).MaximumLength(LongText);
        });
        RuleFor(r => r.PhotoReference).MaximumLength(500);
        RuleFor(r => r.Phones).MaximumCount(MaxItems);
        RuleForEach(r => r.Phones).NotEmpty().MaximumLength(40);
        RuleFor(r => r.SocialMedia).MaximumCount(MaxItems);
        RuleForEach(r => r.SocialMedia).NotNull().ChildRules(s =>
        {
            s.RuleFor(x => x.Platform).NotEmpty().MaximumLength(50);
            s.RuleFor(x => x.Handle).NotEmpty().MaximumLength(ShortText);
        });
        RuleFor(r => r.Associates).MaximumCount(MaxItems);
        RuleForEach(r => r.Associates).NotNull().ChildRules(a =>
        {
            a.RuleFor(x => x.Name).NotEmpty().MaximumLength(ShortText);
            a.RuleFor(x => x.Relationship).NotEmpty().MaximumLength(ShortText);
            a.RuleFor(x => x.Note).MaximumLength(LongText);
            a.RuleFor(x => x.Phone).MaximumLength(40);
        });
        RuleFor(r => r.Aliases).MaximumCount(MaxItems);
        RuleForEach(r => r.Aliases).NotEmpty().MaximumLength(100);
        RuleFor(r => r.PlacesFrequented).MaximumCount(MaxItems);
        RuleForEach(r => r.PlacesFrequented).NotEmpty().MaximumLength(ShortText);
        RuleFor(r => r.Health).ChildRules(h =>
        {
            h.RuleFor(x => x!.MedicalNeeds).MaximumLength(LongText);
            h.RuleFor(x => x!.Disability).MaximumLength(LongText);
        });
    }
}

public sealed class UpdateMinorProfileHandler(CaseStreams cases) : ICommandHandler<UpdateMinorProfileRequest, MinorProfileView>
{
    public async ValueTask<MinorProfileView> Handle(UpdateMinorProfileRequest r, CancellationToken cancellationToken)
    {
        var profile = r.ToProfile();
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion, (by, now) => new UpdateMinorProfile(profile, by, now), cancellationToken);
        var update = written.Events.OfType<MinorProfileUpdated>().Single();
        return new MinorProfileView(written.State.Profile, written.StreamVersionOf(update), update.Provenance.RecordedAt, update.Provenance.RecordedBy.Id, written.Version) { CaseId = r.CaseId };
    }
}
