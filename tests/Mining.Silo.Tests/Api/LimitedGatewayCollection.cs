namespace Mining.Silo.Tests.Api;

/// <summary>The tests that share one <see cref="LimitedGateway"/>; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class LimitedGatewayCollection : ICollectionFixture<LimitedGateway>
{
    public const string Name = "api gateway with small limits";
}
