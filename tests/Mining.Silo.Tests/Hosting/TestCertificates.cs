using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mining.Silo.Tests.Hosting;

/// <summary>
/// Certificates made in the test with .NET's <see cref="CertificateRequest"/> (not with the code under test): a CA and
/// certificates it issues, or self-signed ones, written as PEM or PKCS#12 files into a temporary folder.
/// </summary>
internal sealed class TestCertificates
{
    public static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    public static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private readonly string folder = TestData.NewTempFolder();

    /// <summary>A new CA (self-signed, CA:TRUE, may sign certificates).</summary>
    public static X509Certificate2 NewAuthority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    /// <summary>A certificate for <paramref name="usages"/> issued by <paramref name="authority"/>, or self-signed when it is null; with its private key.</summary>
    public static X509Certificate2 NewLeaf(string name, X509Certificate2? authority, params Oid[] usages)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var eku = new OidCollection();
        foreach (var usage in usages)
        {
            eku.Add(usage);
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(eku, false));
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        var notAfter = DateTimeOffset.UtcNow.AddDays(10);
        if (authority is null)
        {
            return request.CreateSelfSigned(notBefore, notAfter);
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        using var issued = request.Create(authority, notBefore, notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>Writes the certificate alone as PEM; returns its path.</summary>
    public string CertificatePem(X509Certificate2 certificate, string name) => Write(name + ".crt", certificate.ExportCertificatePem());

    /// <summary>Writes the certificate's private key as PKCS#8 PEM; returns its path.</summary>
    public string KeyPem(X509Certificate2 certificate, string name) =>
        Write(name + ".key", certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

    /// <summary>Writes the certificate with its key as PKCS#12 under <paramref name="password"/>; returns its path.</summary>
    public string Pkcs12(X509Certificate2 certificate, string name, string password)
    {
        var path = Path.Combine(folder, name + ".pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return path;
    }

    private string Write(string file, string text)
    {
        var path = Path.Combine(folder, file);
        File.WriteAllText(path, text);
        return path;
    }
}
