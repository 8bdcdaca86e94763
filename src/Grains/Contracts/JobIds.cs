using System.Globalization;
using System.Security.Cryptography;

namespace Mining.Grains.Contracts;

/// <summary>Job ids for specs that name none.</summary>
public static class JobIds
{
    /// <summary>"job-20250114-093015-3f9a1c07": sortable by submission time, unique by the random tail.</summary>
    public static string New(DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"job-{now.UtcDateTime:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
}
