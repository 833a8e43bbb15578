using FluentValidation;
using Mediator;
using Pare.Cell.Api.Infrastructure.Messaging;
using Pare.Cell.Domain.Cases;

namespace Pare.Cell.Api.Cases.Guardians;

/// <summary>The parents, guardians and referents the cell calls; the whole list is replaced.</summary>
public sealed record UpdateGuardianContactsRequest(IReadOnlyList<GuardianInput>? Guardians) : CaseRequest, ICommand<CaseView>;

public sealed record GuardianInput(string? Name, GuardianRelationship? Relationship, string? Phone, string? Email);

public sealed class UpdateGuardianContactsValidator : AbstractValidator<UpdateGuardianContactsRequest>
{
    public UpdateGuardianContactsValidator()
    {
        RuleFor(r => r.Guardians).NotNull().MaximumCount(20);
        RuleForEach(r => r.Guardians).NotNull().ChildRules(guardian =>
        {
            guardian.RuleFor(g => g.Name).NotEmpty().MaximumLength(200);
            guardian.RuleFor(g => g.Relationship).NotEmpty().IsInEnum();
            guardian.RuleFor(g => g.Phone).MaximumLength(40);
            guardian.RuleFor(g => g.Email).Mailbox();
        });
    }
}

public sealed class UpdateGuardianContactsHandler(CaseStreams cases, TimeProvider clock) : ICommandHandler<UpdateGuardianContactsRequest, CaseView>
{
    public async ValueTask<CaseView> Handle(UpdateGuardianContactsRequest r, CancellationToken cancellationToken)
    {
        var guardians = r.Guardians!.Select(g => new GuardianContact(g.Name!.Trim(), g.Relationship!.Value, g.Phone, g.Email)).ToList();
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion, (by, now) => new UpdateGuardianContacts(guardians, by, now), cancellationToken);
        return CaseView.Of(written.State, clock.GetUtcNow());
    }
}
