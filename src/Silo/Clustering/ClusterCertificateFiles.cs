namespace Mining.Silo.Clustering;

/// <summary>
/// Where one party's certificate, its key and the cluster's CA certificate are, and what each is called where it was
/// given (a setting such as <c>Mining:Tls:CertificatePath (MINING__TLS__CERTIFICATEPATH)</c> or a CLI option), so
/// that an error names it.
/// </summary>
public sealed record ClusterCertificateFiles
{
    /// <summary>A PEM certificate (with <see cref="KeyPath"/>) or a PKCS#12 file holding the key.</summary>
    public required string CertificatePath { get; init; }

    /// <summary>The PEM private key of a PEM certificate; null for PKCS#12.</summary>
    public string? KeyPath { get; init; }

    /// <summary>The PKCS#12 file's or the encrypted PEM key's password; null when there is none.</summary>
    public string? Password { get; init; }

    /// <summary>The cluster's CA certificate (PEM or DER).</summary>
    public required string CaCertificatePath { get; init; }

    /// <summary>How <see cref="CertificatePath"/> was given.</summary>
    public required string CertificateName { get; init; }

    /// <summary>How <see cref="KeyPath"/> was given.</summary>
    public required string KeyName { get; init; }

    /// <summary>How <see cref="Password"/> was given.</summary>
    public required string PasswordName { get; init; }

    /// <summary>How <see cref="CaCertificatePath"/> was given.</summary>
    public required string CaCertificateName { get; init; }
}
