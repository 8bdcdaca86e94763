namespace Mining.Silo.Dashboard;

/// <summary>Marks a silo whose services include the Orleans Dashboard (its own registrations are internal to the package).</summary>
internal sealed class OrleansDashboardAdded;
