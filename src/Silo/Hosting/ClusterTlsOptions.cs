namespace Mining.Silo.Hosting;

/// <summary>
/// TLS with certificates on the Orleans ports (silo-to-silo and client), bound from <c>Mining:Tls</c>. Every connection
/// is mutual: each side presents a certificate, and the other accepts it only when it was issued by the cluster's CA
/// (<see cref="CaCertificatePath"/>). Without <see cref="CertificatePath"/> the ports speak plain TCP.
/// </summary>
public sealed record ClusterTlsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Mining:Tls";

    /// <summary>Whether the silo refuses to start without a certificate; true in the production profile (appsettings.Production.json).</summary>
    public bool Required { get; init; }

    /// <summary>This silo's certificate: a PEM file (its key in <see cref="KeyPath"/>) or a PKCS#12 (.pfx) file holding the key. Empty: no TLS.</summary>
    public string? CertificatePath { get; init; }

    /// <summary>The PEM private key of a PEM <see cref="CertificatePath"/>; empty for a PKCS#12 file.</summary>
    public string? KeyPath { get; init; }

    /// <summary>The password of a PKCS#12 file or of an encrypted PEM key; empty when it has none.</summary>
    public string? CertificatePassword { get; init; }

    /// <summary>The cluster's CA certificate (PEM or DER): the only issuer whose certificates this silo accepts from other silos and clients.</summary>
    public string? CaCertificatePath { get; init; }

    /// <summary>Whether TLS is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);
}
