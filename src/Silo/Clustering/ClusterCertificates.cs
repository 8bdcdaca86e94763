using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace Mining.Silo.Clustering;

/// <summary>
/// One party's certificate and the cluster's CA, and the rule every TLS connection of the cluster checks: the remote
/// side must present a certificate that chains to that CA (and to no other root: the machine's trusted roots do not
/// count), valid now, whose extended key usage fits its part. A silo's certificate must allow server and client
/// authentication, so only silos get through the silo-to-silo port; a client's must allow client authentication,
/// which is all the client (gateway) port asks. Host names are not compared: silos are addressed by IP and the CA
/// is the cluster's own, so a certificate it issued is what makes a party a member.
/// </summary>
public sealed class ClusterCertificates
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "Server Authentication");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    private ClusterCertificates(X509Certificate2 certificate, X509Certificate2 authority)
    {
        Certificate = certificate;
        Authority = authority;
    }

    /// <summary>This party's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The cluster's CA certificate.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>
    /// Loads <paramref name="files"/> and checks that the certificate has its private key, fits <paramref name="party"/>
    /// and is issued by the CA; throws <see cref="ClusterCertificateException"/> naming the file's setting otherwise.
    /// </summary>
    public static ClusterCertificates Load(ClusterCertificateFiles files, ClusterParty party)
    {
        ArgumentNullException.ThrowIfNull(files);
        var authority = LoadAuthority(files);
        var certificate = LoadCertificate(files);
        if (!certificate.HasPrivateKey)
        {
            throw new ClusterCertificateException($"{files.CertificateName}: '{files.CertificatePath}' holds no private key");
        }

        foreach (var usage in UsagesOf(party))
        {
            if (!Allows(certificate, usage))
            {
                throw new ClusterCertificateException(
                    $"{files.CertificateName}: the certificate's extended key usage does not allow {usage.FriendlyName}, which a {party.ToString().ToLowerInvariant()} certificate needs");
            }
        }

        if (Verify(authority, certificate, presented: null, UsagesOf(party)) is { } problem)
        {
            throw new ClusterCertificateException($"{files.CertificateName}: the certificate is not issued by the CA of {files.CaCertificateName}: {problem}");
        }

        return new ClusterCertificates(certificate, authority);
    }

    /// <summary>
    /// Orleans' TLS settings for connections whose remote side is <paramref name="peer"/>: this certificate presented,
    /// the remote's required and accepted only by <see cref="Accepts"/>.
    /// </summary>
    public TlsOptions For(ClusterParty peer) => new()
    {
        LocalCertificate = Certificate,
        RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
        ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
        RemoteCertificateValidation = (remote, chain, _) => Accepts(remote, chain, peer),
    };

    /// <summary>Whether <paramref name="remote"/> (with the intermediates it sent in <paramref name="presented"/>) is a certificate of the cluster for <paramref name="peer"/>.</summary>
    public bool Accepts(X509Certificate2 remote, X509Chain? presented, ClusterParty peer) =>
        Verify(Authority, remote, presented, UsagesOf(peer)) is null;

    private static Oid[] UsagesOf(ClusterParty party) => party == ClusterParty.Silo ? [ServerAuthentication, ClientAuthentication] : [ClientAuthentication];

    /// <summary>Null when <paramref name="certificate"/> chains to <paramref name="authority"/> alone and allows <paramref name="usages"/>; otherwise why not.</summary>
    private static string? Verify(X509Certificate2 authority, X509Certificate2 certificate, X509Chain? presented, IEnumerable<Oid> usages)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        // A private CA publishes no revocation lists; a certificate is withdrawn by replacing the CA.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        foreach (var usage in usages)
        {
            chain.ChainPolicy.ApplicationPolicy.Add(usage);
        }

        foreach (var element in presented?.ChainElements.Skip(1) ?? [])
        {
            chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }

        if (chain.Build(certificate))
        {
            return null;
        }

        var statuses = chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct().ToArray();
        return statuses.Length == 0 ? "no chain to the CA" : string.Join("; ", statuses);
    }

    private static bool Allows(X509Certificate2 certificate, Oid usage)
    {
        var extension = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        return extension is null || extension.EnhancedKeyUsages.Cast<Oid>().Any(u => u.Value == usage.Value);
    }

    private static X509Certificate2 LoadAuthority(ClusterCertificateFiles files)
    {
        RequireFile(files.CaCertificatePath, files.CaCertificateName);
        X509Certificate2 authority;
        try
        {
            authority = X509CertificateLoader.LoadCertificateFromFile(files.CaCertificatePath);
        }
        catch (CryptographicException e)
        {
            throw new ClusterCertificateException($"{files.CaCertificateName}: '{files.CaCertificatePath}' is not a PEM or DER certificate ({e.Message})", e);
        }

        // A leaf given as the CA would make the one certificate its own issuer; the rule is a CA's certificates.
        if (authority.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
        {
            throw new ClusterCertificateException($"{files.CaCertificateName}: '{files.CaCertificatePath}' is not a CA certificate (its basic constraints do not say CA:TRUE)");
        }

        return authority;
    }

    private static X509Certificate2 LoadCertificate(ClusterCertificateFiles files)
    {
        RequireFile(files.CertificatePath, files.CertificateName);
        if (!string.IsNullOrWhiteSpace(files.KeyPath))
        {
            RequireFile(files.KeyPath, files.KeyName);
            try
            {
                return string.IsNullOrEmpty(files.Password)
                    ? X509Certificate2.CreateFromPemFile(files.CertificatePath, files.KeyPath)
                    : X509Certificate2.CreateFromEncryptedPemFile(files.CertificatePath, files.Password, files.KeyPath);
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                throw new ClusterCertificateException(
                    $"{files.CertificateName} and {files.KeyName}: '{files.CertificatePath}' and '{files.KeyPath}' are not a PEM certificate and its private key ({e.Message})", e);
            }
        }

        if (IsPem(files.CertificatePath))
        {
            throw new ClusterCertificateException($"{files.CertificateName}: '{files.CertificatePath}' is a PEM certificate; give its private key in {files.KeyName}");
        }

        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(files.CertificatePath, files.Password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException e)
        {
            // The message only: never the password.
            throw new ClusterCertificateException(
                $"{files.CertificateName}: '{files.CertificatePath}' is not a PKCS#12 file that opens with {files.PasswordName} ({e.Message})", e);
        }
    }

    private static bool IsPem(string path)
    {
        using var reader = new StreamReader(path);
        var buffer = new char[4096];
        var read = reader.ReadBlock(buffer, 0, buffer.Length);
        return new string(buffer, 0, read).Contains("-----BEGIN", StringComparison.Ordinal);
    }

    private static void RequireFile(string path, string name)
    {
        if (!File.Exists(path))
        {
            throw new ClusterCertificateException($"{name}: file '{path}' does not exist");
        }
    }
}
