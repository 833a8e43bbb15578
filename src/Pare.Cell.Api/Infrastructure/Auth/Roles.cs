namespace Pare.Cell.Api.Infrastructure.Auth;

/// <summary>The token claims the API reads, and the roles a cell member can hold.</summary>
public static class Claims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Cell = "cell";
    public const string Role = "role";
}

public static class Roles
{
    public const string Worker = "worker";
    public const string Head = "head";
    public const string Admin = "admin";

    /// <summary>
    /// Whoever runs the deployment (not a member of any cell; its token needs no <c>cell</c>): the
    /// Hangfire dashboard, which shows every cell's jobs, and nothing of any cell's data.
    /// </summary>
    public const string Operator = "operator";
}

public static class AccessPolicies
{
    /// <summary>Cell members who follow minors: workers and the service head.</summary>
    public const string CaseWork = "case-work";
    /// <summary>The service head only.</summary>
    public const string HeadOnly = "head-only";
    /// <summary>Any member of a cell: worker, head or admin.</summary>
    public const string CellMember = "cell-member";
    /// <summary>Who may change the cell's policy: head or admin.</summary>
    public const string PolicyEditor = "policy-editor";
    /// <summary>Partner clients, by scope.</summary>
    public const string PartnerRead = "partner-read";
    public const string PartnerRespond = "partner-respond";
    public const string PartnerReportEpisodes = "partner-report-episodes";
}
