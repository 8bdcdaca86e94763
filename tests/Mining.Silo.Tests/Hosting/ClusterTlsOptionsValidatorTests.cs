using Mining.Silo.Hosting;

namespace Mining.Silo.Tests.Hosting;

/// <summary>The Mining:Tls settings: what a silo's start refuses, each failure naming its setting, and what it takes.</summary>
public sealed class ClusterTlsOptionsValidatorTests
{
    private readonly TestCertificates files = new();

    [Fact]
    public void No_tls_settings_pass_where_tls_is_not_required()
    {
        var result = new ClusterTlsOptionsValidator().Validate(null, new ClusterTlsOptions());
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Required_tls_without_a_certificate_fails_naming_the_setting_and_its_environment_variable()
    {
        var error = Failure(new ClusterTlsOptions { Required = true });
        Assert.Contains("Mining:Tls:CertificatePath (MINING__TLS__CERTIFICATEPATH)", error, StringComparison.Ordinal);
        Assert.Contains("Mining:Tls:Required", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_without_a_certificate_fails_naming_the_certificate_setting()
    {
        var error = Failure(new ClusterTlsOptions { KeyPath = "/somewhere/silo.key" });
        Assert.Contains("Mining:Tls:KeyPath", error, StringComparison.Ordinal);
        Assert.Contains("Mining:Tls:CertificatePath", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_without_the_ca_fails_naming_the_ca_setting()
    {
        var (certificate, key, _) = SiloPem();
        var error = Failure(new ClusterTlsOptions { CertificatePath = certificate, KeyPath = key });
        Assert.Contains("Mining:Tls:CaCertificatePath (MINING__TLS__CACERTIFICATEPATH)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_certificate_file_fails_naming_the_setting_and_the_path()
    {
        var (_, key, ca) = SiloPem();
        var missing = Path.Combine(TestData.NewTempFolder(), "absent.crt");
        var error = Failure(new ClusterTlsOptions { CertificatePath = missing, KeyPath = key, CaCertificatePath = ca });
        Assert.Contains("Mining:Tls:CertificatePath", error, StringComparison.Ordinal);
        Assert.Contains(missing, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pem_certificate_without_its_key_fails_naming_the_key_setting()
    {
        var (certificate, _, ca) = SiloPem();
        var error = Failure(new ClusterTlsOptions { CertificatePath = certificate, CaCertificatePath = ca });
        Assert.Contains("Mining:Tls:KeyPath", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_another_ca_issued_fails_naming_the_certificate_setting()
    {
        var (_, _, ca) = SiloPem();
        using var other = TestCertificates.NewAuthority("another CA");
        using var silo = TestCertificates.NewLeaf("silo", other, TestCertificates.ServerAuthentication, TestCertificates.ClientAuthentication);
        var error = Failure(new ClusterTlsOptions { CertificatePath = files.CertificatePem(silo, "foreign"), KeyPath = files.KeyPem(silo, "foreign"), CaCertificatePath = ca });
        Assert.StartsWith("Mining:Tls:CertificatePath", error, StringComparison.Ordinal);
        Assert.Contains("not issued by the CA", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_self_signed_certificate_given_as_its_own_ca_fails_naming_the_ca_setting()
    {
        using var self = TestCertificates.NewLeaf("self", null, TestCertificates.ServerAuthentication, TestCertificates.ClientAuthentication);
        var certificate = files.CertificatePem(self, "self");
        var error = Failure(new ClusterTlsOptions { CertificatePath = certificate, KeyPath = files.KeyPem(self, "self"), CaCertificatePath = certificate });
        Assert.StartsWith("Mining:Tls:CaCertificatePath", error, StringComparison.Ordinal);
        Assert.Contains("not a CA certificate", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_only_certificate_fails_as_a_silo_certificate_naming_the_usage()
    {
        using var authority = TestCertificates.NewAuthority("cluster CA");
        using var client = TestCertificates.NewLeaf("client", authority, TestCertificates.ClientAuthentication);
        var error = Failure(new ClusterTlsOptions
        {
            CertificatePath = files.CertificatePem(client, "client"),
            KeyPath = files.KeyPem(client, "client"),
            CaCertificatePath = files.CertificatePem(authority, "ca"),
        });
        Assert.StartsWith("Mining:Tls:CertificatePath", error, StringComparison.Ordinal);
        Assert.Contains("Server Authentication", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pem_certificate_and_key_the_ca_issued_pass()
    {
        var (certificate, key, ca) = SiloPem();
        var result = new ClusterTlsOptionsValidator().Validate(null, new ClusterTlsOptions { Required = true, CertificatePath = certificate, KeyPath = key, CaCertificatePath = ca });
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void A_pkcs12_file_with_its_password_passes_and_a_wrong_password_fails_without_repeating_it()
    {
        using var authority = TestCertificates.NewAuthority("cluster CA");
        using var silo = TestCertificates.NewLeaf("silo", authority, TestCertificates.ServerAuthentication, TestCertificates.ClientAuthentication);
        var pfx = files.Pkcs12(silo, "silo", "right-password");
        var ca = files.CertificatePem(authority, "ca");

        var right = new ClusterTlsOptionsValidator().Validate(null, new ClusterTlsOptions { CertificatePath = pfx, CertificatePassword = "right-password", CaCertificatePath = ca });
        var error = Failure(new ClusterTlsOptions { CertificatePath = pfx, CertificatePassword = "wrong-password", CaCertificatePath = ca });

        Assert.True(right.Succeeded, right.FailureMessage);
        Assert.Contains("Mining:Tls:CertificatePassword", error, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", error, StringComparison.Ordinal);
    }

    /// <summary>A CA and a silo certificate it issued, as PEM files: (certificate, key, CA).</summary>
    private (string Certificate, string Key, string Ca) SiloPem()
    {
        using var authority = TestCertificates.NewAuthority("cluster CA");
        using var silo = TestCertificates.NewLeaf("silo", authority, TestCertificates.ServerAuthentication, TestCertificates.ClientAuthentication);
        return (files.CertificatePem(silo, "silo"), files.KeyPem(silo, "silo"), files.CertificatePem(authority, "ca"));
    }

    private static string Failure(ClusterTlsOptions options)
    {
        var result = new ClusterTlsOptionsValidator().Validate(null, options);
        Assert.True(result.Failed, "the settings passed");
        var failure = Assert.Single(result.Failures!);
        Assert.DoesNotContain('\n', failure);
        return failure;
    }
}
