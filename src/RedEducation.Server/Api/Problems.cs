using RedEducation.Contracts;
using RedEducation.Domain.Booking;
using RedEducation.Domain.CheckIn;

namespace RedEducation.Server.Api;

/// <summary>
/// Every refusal the API gives, as RFC 9457 problem details. The type is "/problems/{name}", where the name is the
/// stable suffix of api.md; /problems/{name} serves a short description.
/// </summary>
public static class Problems
{
    public static readonly IReadOnlyDictionary<string, (int Status, string Title)> Catalog = new Dictionary<string, (int, string)>
    {
        ["malformed-request"] = (400, "The request body or parameters could not be read / 请求格式错误"),
        ["validation-failed"] = (400, "Some fields are invalid / 字段校验失败"),
        ["unauthorized"] = (401, "Sign in first / 请先登录"),
        ["invalid-credentials"] = (401, "Wrong user name or password / 用户名或密码错误"),
        ["forbidden"] = (403, "Your account may not do this / 无权执行此操作"),
        ["not-found"] = (404, "No such resource / 资源不存在"),
        ["venue-not-found"] = (404, "No such venue / 场馆不存在"),
        ["booking-not-found"] = (404, "No such booking / 预约不存在"),
        ["method-not-allowed"] = (405, "This route does not take that method / 不支持的请求方法"),
        ["slot-full"] = (409, "The slot has no room for this group / 该时段名额不足"),
        ["day-full"] = (409, "The venue's daily capacity is reached / 当日总名额已满"),
        ["booking-cancelled"] = (409, "The booking is cancelled / 预约已取消"),
        ["not-confirmed"] = (409, "The booking is not confirmed, so it has no ticket yet / 预约尚未确认，暂无凭证"),
        ["over-headcount"] = (409, "More people than remain on this booking; nobody was admitted / 超出剩余人数，未放行"),
        ["key-in-use"] = (409, "The signing key cannot be retired; rotate first / 当前签名密钥不能停用"),
        ["key-not-found"] = (404, "No such ticket key / 密钥不存在"),
        ["keys-shared"] = (409, "In a cluster the ticket keys are the operator's: change the key directory, then restart / 集群模式下密钥由运维在密钥目录中管理"),
        ["invalid-code"] = (422, "Not a valid ticket: the code or its signature is wrong / 无效凭证"),
        ["wrong-venue"] = (422, "This ticket is for another venue / 非本馆凭证"),
        ["wrong-date"] = (422, "This ticket is for another day / 非当日凭证"),
        ["outside-window"] = (422, "Outside this ticket's check-in window / 不在入场时间范围内"),
        ["cancelled"] = (422, "The booking of this ticket is cancelled / 预约已取消"),
        ["revoked"] = (422, "This ticket was replaced by a newer one / 凭证已失效（已重新签发）"),
        ["no-route"] = (422, "No road joins these two points / 两点之间无可达道路"),
        ["infeasible"] = (422, "These venues cannot all be visited that day / 无法在当日完成全部参观"),
        ["route-not-booked"] = (409, "A stop of the route could not be booked, so none was / 路线中有站点无法预约，整条路线未预约"),
        ["no-qr-code"] = (422, "No readable QR code in the image / 图片中未识别到二维码"),
        ["payload-too-large"] = (413, "The request body is too large / 请求内容过大"),
        ["unsupported-media-type"] = (415, "Send application/json / 请使用 JSON"),
        ["venue-closed"] = (422, "The venue is closed on that day / 该日闭馆"),
        ["unknown-slot"] = (422, "The venue has no slot at that time / 该时段不存在"),
        ["too-soon"] = (422, "Too late to book that day: the venue requires more notice / 预约提前天数不足"),
        ["too-far-ahead"] = (422, "That day is not open for booking yet / 超出可预约天数"),
        ["slot-started"] = (422, "The slot has already started / 该时段已开始"),
        ["group-too-small"] = (422, "The group is smaller than the venue accepts / 团体人数过少"),
        ["group-too-large"] = (422, "The group is larger than the venue accepts / 团体人数过多"),
        ["unit-cap"] = (422, "Your unit has reached its limit for this venue and day / 本单位当日预约人数已达上限"),
        ["idempotency-key-reused"] = (422, "This Idempotency-Key was already used for a different request / 幂等键已用于其他请求"),
        ["account-not-found"] = (404, "No such account / 账号不存在"),
        ["username-taken"] = (409, "That user name is already taken / 用户名已被占用"),
        ["invalid-role"] = (422, "Not a role an account can be given here / 无效的角色"),
        ["unknown-venue"] = (422, "A venue named in the request does not exist / 请求中的场馆不存在"),
        ["weak-password"] = (422, "The password is too weak / 密码强度不足"),
        ["too-many-requests"] = (429, "Too many requests; try again shortly / 请求过于频繁"),
        ["unavailable"] = (503, "The service is busy; try again / 服务暂时不可用"),
    };

    public static string TypeUri(string name) => $"/problems/{name}";

    public static IResult Result(string name, string? detail = null, IDictionary<string, string[]>? errors = null)
    {
        var (status, title) = Catalog[name];
        return errors is null
            ? TypedResults.Problem(detail, statusCode: status, title: title, type: TypeUri(name))
            : TypedResults.ValidationProblem(errors, detail, title: title, type: TypeUri(name));
    }

    public static IResult Validation(string field, string message) =>
        Result("validation-failed", $"{field}: {message}", new Dictionary<string, string[]> { [field] = [message] });

    public static IResult For(BookingResult result) => Result(NameOf(result));

    /// <summary>The problem name of a failed booking command, as <see cref="For(BookingResult)"/> would answer it.</summary>
    public static string NameOf(BookingResult result) => result.Failure switch
    {
        BookingFailure.NotFound => "booking-not-found",
        BookingFailure.UnknownVenue => "venue-not-found",
        BookingFailure.KeyReused => "idempotency-key-reused",
        BookingFailure.Cancelled => "booking-cancelled",
        _ => NameOf(result.Refusal),
    };

    public static IResult For(Refusal refusal) => Result(NameOf(refusal));

    public static string NameOf(Refusal refusal) => refusal switch
    {
        Refusal.VenueClosed => "venue-closed",
        Refusal.UnknownSlot => "unknown-slot",
        Refusal.TooSoon => "too-soon",
        Refusal.TooFarAhead => "too-far-ahead",
        Refusal.SlotStarted => "slot-started",
        Refusal.GroupTooSmall => "group-too-small",
        Refusal.GroupTooLarge => "group-too-large",
        Refusal.UnitCapReached => "unit-cap",
        Refusal.SlotFull => "slot-full",
        Refusal.DailyCapReached => "day-full",
        Refusal.AlreadyCancelled => "booking-cancelled",
        _ => "not-found",
    };

    public static string? NameOf(ScanOutcome outcome) => outcome switch
    {
        ScanOutcome.OverHeadcount => "over-headcount",
        ScanOutcome.InvalidCode => "invalid-code",
        ScanOutcome.WrongVenue => "wrong-venue",
        ScanOutcome.WrongDate => "wrong-date",
        ScanOutcome.OutsideWindow => "outside-window",
        ScanOutcome.Cancelled => "cancelled",
        ScanOutcome.Revoked => "revoked",
        ScanOutcome.NotConfirmed => "not-confirmed",
        _ => null,
    };

    /// <summary>Gives the framework's own bare status responses (401, 403, 404, 405, 413, 415) a problem type.</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Type is not null && problem.Type.StartsWith("/problems/", StringComparison.Ordinal))
        {
            return;
        }
        var name = problem.Status switch
        {
            400 => "malformed-request",
            401 => "unauthorized",
            403 => "forbidden",
            404 => "not-found",
            405 => "method-not-allowed",
            413 => "payload-too-large",
            415 => "unsupported-media-type",
            429 => "too-many-requests",
            >= 500 => "unavailable",
            _ => null,
        };
        if (name is not null)
        {
            problem.Type = TypeUri(name);
            problem.Title = Catalog[name].Title;
            if (problem.Status >= 500)
            {
                problem.Status = 503;
                context.HttpContext.Response.StatusCode = 503;
                problem.Detail = null;
            }
        }
    }
}
