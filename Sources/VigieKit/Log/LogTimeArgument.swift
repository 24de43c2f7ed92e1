import Foundation
import OutcomeStore

/// Reads `--since` / `--until` of `vigie log`: an RFC 3339 instant
/// (`2026-03-02T22:00:00Z`, any offset), a UTC date (`2026-03-02`, its midnight), or a
/// duration back from now (`90s`, `30m`, `2h`, `7d`).
package enum LogTimeArgument {
    package static func parse(_ text: String, now: Date) -> Date? {
        if let instant = Timestamp.parse(text) { return instant }
        if text.count == 10, let midnight = Timestamp.parse(text + "T00:00:00Z") { return midnight }
        guard let unit = text.last, let amount = Double(text.dropLast()), amount >= 0, amount.isFinite,
              text.dropLast().allSatisfy({ $0.isNumber || $0 == "." }) else { return nil }
        let seconds: Double
        switch unit {
        case "s": seconds = amount
        case "m": seconds = amount * 60
        case "h": seconds = amount * 3600
        case "d": seconds = amount * 86_400
        default: return nil
        }
        return now.addingTimeInterval(-seconds)
    }

    static func usage(_ option: String, _ text: String) -> String {
        "error: \(option) '\(text)': expected an RFC 3339 instant (2026-03-02T22:00:00Z), "
            + "a date (2026-03-02) or a duration back from now (30m, 2h, 7d)\n"
    }
}
