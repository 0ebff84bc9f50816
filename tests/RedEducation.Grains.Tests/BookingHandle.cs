using RedEducation.Contracts;

namespace RedEducation.Grains.Tests;

/// <summary>A booking as the API uses it: created through its unit's grain, then changed and read through its own grain.</summary>
internal sealed class BookingHandle(IGrainFactory grains, string id)
{
    public string Id => id;

    public IBookingGrain Grain => grains.GetGrain<IBookingGrain>(id);

    public Task<BookingResult> CreateAsync(NewBooking request) => grains.GetGrain<IUnitGrain>(request.UnitId).CreateBookingAsync(id, request);

    public Task<BookingView?> GetAsync() => Grain.GetAsync();

    public Task<BookingResult> ResizeAsync(int headcount) => Grain.ResizeAsync(headcount);

    public Task<BookingResult> CancelAsync() => Grain.CancelAsync();

    public Task<BookingResult> RescheduleAsync(DateOnly newDate, TimeOnly newSlot) => Grain.RescheduleAsync(newDate, newSlot);
}
