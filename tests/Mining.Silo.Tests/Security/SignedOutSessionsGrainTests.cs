using Microsoft.Extensions.DependencyInjection;
using Mining.Grains.Hosting;
using Mining.Silo.Security;
using Mining.Silo.Tests.Api;
using Orleans.Storage;

namespace Mining.Silo.Tests.Security;

/// <summary>The cluster's list of signed-out Mining page sessions keeps each one only while its cookie could still be used.</summary>
[Collection(ApiCollection.Name)]
public sealed class SignedOutSessionsGrainTests(ApiFixture fixture)
{
    private ISignedOutSessionsGrain Grain => fixture.Grains.GetGrain<ISignedOutSessionsGrain>(0);

    [Fact]
    public async Task A_signed_out_session_is_listed_and_another_is_not()
    {
        var signedOut = "listed-" + Guid.NewGuid().ToString("N");

        await Grain.SignOut(signedOut, DateTimeOffset.UtcNow.AddHours(1));

        Assert.True(await Grain.IsSignedOut(signedOut));
        Assert.False(await Grain.IsSignedOut("never-" + Guid.NewGuid().ToString("N")));
    }

    [Fact]
    public async Task A_session_leaves_the_stored_list_once_it_would_have_expired()
    {
        var soon = "soon-" + Guid.NewGuid().ToString("N");
        var later = "later-" + Guid.NewGuid().ToString("N");
        await Grain.SignOut(soon, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Contains(soon, (await StoredAsync()).Sessions.Keys);

        await ApiFixture.WaitForAsync(async () => !await Grain.IsSignedOut(soon), "the session's expiry");
        await Grain.SignOut(later, DateTimeOffset.UtcNow.AddHours(1));

        var stored = await StoredAsync();
        Assert.DoesNotContain(soon, stored.Sessions.Keys);
        Assert.Contains(later, stored.Sessions.Keys);
    }

    [Fact]
    public async Task An_already_expired_session_is_not_stored()
    {
        var expired = "expired-" + Guid.NewGuid().ToString("N");

        await Grain.SignOut(expired, DateTimeOffset.UtcNow.AddMinutes(-1));

        Assert.DoesNotContain(expired, (await StoredAsync()).Sessions.Keys);
    }

    /// <summary>The grain's state as its grain storage holds it (not the activation's copy).</summary>
    private async Task<SignedOutSessionsState> StoredAsync()
    {
        var storage = fixture.App.Services.GetRequiredKeyedService<IGrainStorage>(MiningGrainStorage.Name);
        var state = new GrainState<SignedOutSessionsState>();
        await storage.ReadStateAsync("signed-out-sessions", Grain.GetGrainId(), state);
        return state.State ?? new SignedOutSessionsState();
    }
}
