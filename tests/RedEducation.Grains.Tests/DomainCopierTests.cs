using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.Cloning;
using RedEducation.Contracts;
using RedEducation.Domain.CheckIn;
using RedEducation.Domain.Venues;
using RedEducation.Testing;

namespace RedEducation.Grains.Tests;

public sealed class DomainCopierTests
{
    private static readonly ServiceProvider Services = new ServiceCollection()
        .AddSerializer(s => s.AddDomainJsonCodec())
        .BuildServiceProvider();

    [Fact]
    public void DeepCopy_ImmutableDomainRecords_PassedByReference()
    {
        var venue = TestVenues.Sample();
        var admission = new AdmissionResult(ScanOutcome.Admitted, 1, 3, 10, 0);
        var entry = new ScanEntry(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "desk", "staff", "bk1", 1, 1, ScanOutcome.Admitted, false, false);

        Assert.Same(venue, Services.GetRequiredService<DeepCopier<VenueProfile>>().Copy(venue));
        Assert.Same(admission, Services.GetRequiredService<DeepCopier<AdmissionResult>>().Copy(admission));
        Assert.Same(entry, Services.GetRequiredService<DeepCopier<ScanEntry>>().Copy(entry));
    }

    [Fact]
    public void DeepCopy_MutableDomainState_StillCopied()
    {
        var ledger = new ArrivalLedger();
        ledger.Admit(new AdmissionRequest("bk1", new TimeOnly(10, 0), 10, 2, "n1", false));

        var copy = Services.GetRequiredService<DeepCopier<ArrivalLedger>>().Copy(ledger);

        Assert.NotSame(ledger, copy);
        Assert.Equal(2, copy.Find("bk1")!.Arrived);
    }

    [Fact]
    public void Serialize_ImmutableDomainRecord_StillTravelsAsJsonBetweenSilos()
    {
        var venue = TestVenues.Sample();
        var serializer = Services.GetRequiredService<Serializer<VenueProfile>>();

        var copy = serializer.Deserialize(serializer.SerializeToArray(venue));

        Assert.NotSame(venue, copy);
        Assert.Equal(venue.Id, copy!.Id);
        Assert.Equal(venue.Limits, copy.Limits);
    }
}
