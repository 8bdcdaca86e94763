using Microsoft.Extensions.Options;
using Mining.Silo.Clustering;

namespace Mining.Silo.Hosting;

/// <summary>
/// Checks <see cref="ClusterTlsOptions"/> at start-up by loading the certificate, its key and the CA as the silo will;
/// each failure names its setting and environment variable, and none repeats a password.
/// </summary>
public sealed class ClusterTlsOptionsValidator : IValidateOptions<ClusterTlsOptions>
{
    private const string CertificatePath = $"{ClusterTlsOptions.Section}:{nameof(ClusterTlsOptions.CertificatePath)}";
    private const string KeyPath = $"{ClusterTlsOptions.Section}:{nameof(ClusterTlsOptions.KeyPath)}";
    private const string CertificatePassword = $"{ClusterTlsOptions.Section}:{nameof(ClusterTlsOptions.CertificatePassword)}";
    private const string CaCertificatePath = $"{ClusterTlsOptions.Section}:{nameof(ClusterTlsOptions.CaCertificatePath)}";
    private const string Required = $"{ClusterTlsOptions.Section}:{nameof(ClusterTlsOptions.Required)}";

    /// <summary>The files of <paramref name="options"/>, named by their settings; only for enabled options.</summary>
    public static ClusterCertificateFiles FilesOf(ClusterTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ClusterCertificateFiles
        {
            CertificatePath = options.CertificatePath!,
            KeyPath = string.IsNullOrWhiteSpace(options.KeyPath) ? null : options.KeyPath,
            Password = string.IsNullOrEmpty(options.CertificatePassword) ? null : options.CertificatePassword,
            CaCertificatePath = options.CaCertificatePath ?? "",
            CertificateName = SettingName.Describe(CertificatePath),
            KeyName = SettingName.Describe(KeyPath),
            PasswordName = SettingName.Describe(CertificatePassword),
            CaCertificateName = SettingName.Describe(CaCertificatePath),
        };
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ClusterTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            if (options.Required)
            {
                return ValidateOptionsResult.Fail(
                    $"{SettingName.Describe(CertificatePath)} is empty, and this profile requires TLS on the silo and client ports ({Required} is true): give the silo's certificate, its key ({KeyPath}) and the cluster's CA ({CaCertificatePath}); see docs/operations.md, Ports");
            }

            var stray = new[] { (KeyPath, options.KeyPath), (CertificatePassword, options.CertificatePassword), (CaCertificatePath, options.CaCertificatePath) }
                .FirstOrDefault(s => !string.IsNullOrWhiteSpace(s.Item2)).Item1;
            return stray is null
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"{stray} is set but {SettingName.Describe(CertificatePath)} is empty: TLS needs the silo's certificate");
        }

        if (string.IsNullOrWhiteSpace(options.CaCertificatePath))
        {
            return ValidateOptionsResult.Fail(
                $"{SettingName.Describe(CaCertificatePath)} must be set with {CertificatePath}: the cluster's CA certificate, the only issuer whose certificates the silo accepts");
        }

        try
        {
            _ = ClusterCertificates.Load(FilesOf(options), ClusterParty.Silo);
            return ValidateOptionsResult.Success;
        }
        catch (ClusterCertificateException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
