import Foundation
import VehicleData

/// How the console writes instants, ages and values.
enum ConsoleFormat {
    /// `2026-12-07 02:01:03Z`.
    static func instant(_ date: Date?) -> String {
        guard let date else { return "" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0,
                      c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    static func instant(millis: Int64?) -> String {
        millis.map { instant(Date(timeIntervalSince1970: Double($0) / 1000)) } ?? ""
    }

    /// `42s`, `5m 02s`, `3h 04m`, `2d 03h`; a date in the future reads `in …`.
    static func age(from date: Date, to now: Date) -> String {
        let seconds = Int(now.timeIntervalSince(date).rounded())
        if seconds < 0 { return "in " + age(from: now, to: date) }
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return String(format: "%dm %02ds", seconds / 60, seconds % 60) }
        if seconds < 86400 { return String(format: "%dh %02dm", seconds / 3600, seconds % 3600 / 60) }
        return String(format: "%dd %02dh", seconds / 86400, seconds % 86400 / 3600)
    }

    /// A field value as the rule language writes it.
    static func value(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n):
            return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .string(let s): return s
        case .array(let a): return "[" + a.map(self.value).joined(separator: ", ") + "]"
        case .object(let o):
            if let lat = o["lat"]?.doubleValue, let lon = o["lon"]?.doubleValue { return "\(lat), \(lon)" }
            return "{" + o.keys.sorted().map { "\($0): \(self.value(o[$0]!))" }.joined(separator: ", ") + "}"
        }
    }
}
