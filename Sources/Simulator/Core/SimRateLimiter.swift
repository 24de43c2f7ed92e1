import Foundation

/// The API's two limits per subscription (client id): a sliding 24 h day limit and a
/// 1 s burst limit, reported in `X-RateLimit-Limit-1/-Remaining-1` (day) and
/// `X-RateLimit-Limit-2/-Remaining-2` (burst). Real time.
package struct SimRateLimiter: Sendable {
    package var dayLimit: Int
    package var burstLimit: Int
    private var calls: [String: [Date]] = [:]

    package init(dayLimit: Int, burstLimit: Int) {
        self.dayLimit = dayLimit
        self.burstLimit = burstLimit
    }

    package struct Decision: Sendable {
        package var headers: [String: String]
        package var error: SimAPIError?
    }

    /// Counts a call (if allowed) and answers the headers, or the 429 to send.
    package mutating func admit(_ client: String, at now: Date) -> Decision {
        var list = calls[client] ?? []
        let dayStart = now.addingTimeInterval(-86400)
        if let firstKept = list.firstIndex(where: { $0 > dayStart }) { list.removeFirst(firstKept) } else { list.removeAll() }
        let burstStart = now.addingTimeInterval(-1)
        let burst = list.reversed().prefix { $0 > burstStart }.count
        var error: SimAPIError?
        if list.count >= dayLimit {
            let reset = Int(ceil(list[0].addingTimeInterval(86400).timeIntervalSince(now)))
            error = .rateLimited(day: true, retryAfter: max(1, reset))
        } else if burst >= burstLimit {
            error = .rateLimited(day: false, retryAfter: 1)
        } else {
            list.append(now)
        }
        calls[client] = list
        let burstNow = list.reversed().prefix { $0 > burstStart }.count
        var headers = [
            "X-RateLimit-Limit-1": String(dayLimit), "X-RateLimit-Remaining-1": String(max(0, dayLimit - list.count)),
            "X-RateLimit-Limit-2": String(burstLimit), "X-RateLimit-Remaining-2": String(max(0, burstLimit - burstNow)),
        ]
        if let error { headers.merge(error.headers) { $1 } }
        return Decision(headers: headers, error: error)
    }
}
