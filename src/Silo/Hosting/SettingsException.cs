namespace Mining.Silo.Hosting;

/// <summary>A setting that cannot be bound (unknown key, wrong type); the message starts with the setting's section.</summary>
public sealed class SettingsException(string message, Exception inner) : InvalidOperationException(message, inner);
