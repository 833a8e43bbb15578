namespace Pare.Cell.Domain.Assessments;

/// <summary>The prostitution-risk level the cell acts on (évaluation du risque prostitutionnel).</summary>
public enum RiskLevel
{
    NoneIdentified,
    /// <summary>En risque.</summary>
    AtRisk,
    /// <summary>En situation prostitutionnelle.</summary>
    InSituation,
}
