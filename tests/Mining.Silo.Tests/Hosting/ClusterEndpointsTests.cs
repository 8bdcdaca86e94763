using System.Net;
using Mining.Silo.Hosting;

namespace Mining.Silo.Tests.Hosting;

public sealed class ClusterEndpointsTests
{
    [Fact]
    public void An_ip_and_port_parse_as_they_are()
    {
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.1.2.3"), 30000), ClusterEndpoints.Parse("10.1.2.3:30000", "--cluster"));
    }

    [Fact]
    public void Localhost_resolves_to_the_ipv4_loopback_that_localhost_clustering_advertises()
    {
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 30000), ClusterEndpoints.Parse("localhost:30000", "--cluster"));
    }

    [Fact]
    public void A_bracketed_ipv6_address_parses()
    {
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 30001), ClusterEndpoints.Parse("[::1]:30001", "--cluster"));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("127.0.0.1:port")]
    [InlineData(":30000")]
    public void A_malformed_endpoint_fails_naming_the_setting_and_the_text(string text)
    {
        var error = Assert.Throws<FormatException>(() => ClusterEndpoints.Parse(text, "--cluster"));
        Assert.StartsWith("--cluster: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_comma_separated_list_gives_every_gateway_in_order()
    {
        var gateways = ClusterEndpoints.ParseList("127.0.0.1:30000, 127.0.0.1:30001", "--cluster");
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 30000), new IPEndPoint(IPAddress.Loopback, 30001)], gateways);
    }
}
