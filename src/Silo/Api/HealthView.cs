namespace Mining.Silo.Api;

/// <summary>The answer of <c>GET /healthz</c>.</summary>
/// <param name="Status"><c>healthy</c> or <c>unhealthy</c>.</param>
/// <param name="ActiveSilos">Silos the cluster's membership lists as active.</param>
/// <param name="Error">Why the cluster did not answer.</param>
public sealed record HealthView(string Status, int ActiveSilos, string? Error);
