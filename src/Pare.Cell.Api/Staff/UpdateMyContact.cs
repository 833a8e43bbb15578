using FluentValidation;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Messaging;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Staff;

/// <summary>
/// Each member keeps their own professional phone and e-mail current (null clears one). The phone is
/// read as typed, France unless a country code says otherwise, and kept in E.164.
/// </summary>
public sealed record UpdateMyContact(string? Phone, string? Email) : ICommand<StaffMember?>
{
    /// <summary>The version read (If-Match).</summary>
    [System.Text.Json.Serialization.JsonIgnore] public long ExpectedVersion { get; init; }
}

public sealed class UpdateMyContactValidator : AbstractValidator<UpdateMyContact>
{
    private static readonly Bilingual NotAPhone = new(
        "Give a phone number that can be dialled, such as 06 12 34 56 78 or +33 6 12 34 56 78.",
        "Indiquez un numéro de téléphone composable, par exemple 06 12 34 56 78 ou +33 6 12 34 56 78.");

    public UpdateMyContactValidator()
    {
        RuleFor(r => r.Phone).MaximumLength(40).Must(phone => phone is null || Phones.Normalise(phone) is not null).WithMessage(_ => NotAPhone.ToString());
        RuleFor(r => r.Email).Mailbox();
    }
}

public sealed class UpdateMyContactHandler(StaffDirectory directory, CurrentUser user) : ICommandHandler<UpdateMyContact, StaffMember?>
{
    public async ValueTask<StaffMember?> Handle(UpdateMyContact r, CancellationToken cancellationToken) =>
        await directory.UpdateContactAsync(user.CellId, user.UserId, Phones.Normalise(r.Phone), r.Email, r.ExpectedVersion, cancellationToken);
}
