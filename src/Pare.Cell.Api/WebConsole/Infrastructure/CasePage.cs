using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Cases.Reading;

namespace Pare.Cell.Api.WebConsole.Infrastructure;

/// <summary>A page about one case: it shows who it is about (the case's journaled read), whatever it records.</summary>
public abstract class CasePage : ConsolePage
{
    public CaseView Case { get; private set; } = null!;

    /// <summary>False when the case does not exist in the member's cell (the page answers 404).</summary>
    protected async Task<bool> LoadCaseAsync(Guid caseId)
    {
        var found = await Mediator.Send(new GetCase(caseId), Aborted);
        if (found is null) return false;
        Case = found;
        return true;
    }
}
