import RuleEngine
import RuleLanguage
import VehicleData

/// A decision's JSON line (`ReplayFormat.jsonLine`) written straight into bytes, without
/// building its `JSONValue` and sorting its keys each time: the keys in their sorted
/// order (`actions`, `at`, `bundle`, `event`, `reason`, `rule`, `vin`), strings escaped as
/// `CanonicalJSON` escapes them, remote bodies through `CanonicalJSON` itself. The
/// streaming replay's tests check it prints the same bytes as `ReplayFormat.jsonLine`.
enum ReplayDecisionJSON {
    static func append(_ d: Decision, to out: inout [UInt8]) {
        var renderer = Renderer()
        renderer.append(d, to: &out)
    }

    /// Renders decision after decision, reusing what the previous ones computed: the
    /// date part of `at` (decisions come in time order: most share their day), and the
    /// bytes of each rule action's remote body while the body stays the same (a rule's
    /// bodies are fixed but for `charge: {at:}` instants). Same bytes as `append`.
    struct Renderer {
        /// The day (since 1970-01-01) whose `YYYY-MM-DDT` is `dayPrefix`.
        private var day = Int.min
        private var dayPrefix: [UInt8] = []
        /// The last remote body rendered per bundle, rule and action index, and its bytes.
        private var bodies: [BodyKey: (body: JSONValue, bytes: [UInt8])] = [:]

        struct BodyKey: Hashable {
            var bundle: String
            var rule: String
            var action: Int
        }

        init() {}

        mutating func append(_ d: Decision, to out: inout [UInt8]) {
            out.append(contentsOf: #"{"actions": ["#.utf8)
            for (i, action) in d.actions.enumerated() {
                if i > 0 { out.append(contentsOf: ", ".utf8) }
                switch action {
                case .remote(let body):
                    out.append(contentsOf: #"{"remote": "#.utf8)
                    remote(body, key: BodyKey(bundle: d.bundle, rule: d.rule, action: i), to: &out)
                case .notify(let text):
                    out.append(contentsOf: #"{"notify": "#.utf8)
                    ReplayDecisionJSON.string(text, to: &out)
                    if let details = d.notifyDetails[i] {
                        // `priority`, `title`, `to` when the rule gives them (all sort after `notify`).
                        for (key, value) in details.members.sorted(by: { $0.key < $1.key }) {
                            out.append(contentsOf: ", \"\(key)\": ".utf8)
                            out.append(contentsOf: CanonicalJSON.text(value, pretty: false).utf8)
                        }
                    }
                }
                out.append(UInt8(ascii: "}"))
            }
            out.append(contentsOf: #"], "at": ""#.utf8)
            time(d.at, to: &out)
            out.append(contentsOf: #"", "bundle": "#.utf8)
            ReplayDecisionJSON.string(d.bundle, to: &out)
            out.append(contentsOf: #", "event": ""#.utf8)
            out.append(contentsOf: d.event.rawValue.utf8)
            out.append(contentsOf: #"", "reason": "#.utf8)
            if let reason = d.reason {
                ReplayDecisionJSON.string(reason.rawValue, to: &out)
            } else {
                out.append(contentsOf: "null".utf8)
            }
            out.append(contentsOf: #", "rule": "#.utf8)
            ReplayDecisionJSON.string(d.rule, to: &out)
            out.append(contentsOf: #", "vin": "#.utf8)
            ReplayDecisionJSON.string(d.vin, to: &out)
            out.append(contentsOf: "}\n".utf8)
        }

        /// `CanonicalJSON.text(body, pretty: false)`, from the cache when the same action
        /// of the same rule had this very body last time.
        private mutating func remote(_ body: JSONValue, key: BodyKey, to out: inout [UInt8]) {
            if let cached = bodies[key], cached.body == body {
                out.append(contentsOf: cached.bytes)
                return
            }
            let bytes = Array(CanonicalJSON.text(body, pretty: false).utf8)
            out.append(contentsOf: bytes)
            bodies[key] = (body, bytes)
        }

        /// `RFC3339.formatUTC(t)` (`YYYY-MM-DDTHH:MM:SS[.mmm]Z`), the date part computed
        /// once a day; instants whose year is not written in four digits go through
        /// `formatUTC` itself.
        private mutating func time(_ t: Millis, to out: inout [UInt8]) {
            guard t > -60_000_000_000_000, t < 250_000_000_000_000 else {
                out.append(contentsOf: RFC3339.formatUTC(t).utf8)
                return
            }
            let ms = Int(((t % 1000) + 1000) % 1000)
            let totalSeconds = (t - Int64(ms)) / 1000
            let days = Int(RFC3339.floorDiv(totalSeconds, 86_400))
            let second = Int(totalSeconds - Int64(days) * 86_400)
            if days != day {
                let midnight = Array(RFC3339.formatUTC(Int64(days) * 86_400_000).utf8)
                guard midnight.count == 20 else {   // not `YYYY-MM-DDT00:00:00Z`
                    out.append(contentsOf: RFC3339.formatUTC(t).utf8)
                    return
                }
                day = days
                dayPrefix = Array(midnight[0..<11])
            }
            out.append(contentsOf: dayPrefix)
            @inline(__always) func digits(_ n: Int, _ count: Int) {
                if count == 3 { out.append(UInt8(truncatingIfNeeded: 0x30 + n / 100)) }
                out.append(UInt8(truncatingIfNeeded: 0x30 + n / 10 % 10))
                out.append(UInt8(truncatingIfNeeded: 0x30 + n % 10))
            }
            digits(second / 3600, 2)
            out.append(UInt8(ascii: ":"))
            digits(second / 60 % 60, 2)
            out.append(UInt8(ascii: ":"))
            digits(second % 60, 2)
            if ms != 0 {
                out.append(UInt8(ascii: "."))
                digits(ms, 3)
            }
            out.append(UInt8(ascii: "Z"))
        }
    }

    /// A JSON string as `CanonicalJSON` writes it: `"` `\` and control characters
    /// escaped, everything else (`/`, non-ASCII) as it is.
    static func string(_ s: String, to out: inout [UInt8]) {
        var s = s
        let clean: Bool = s.withUTF8 { bytes in
            for b in bytes where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return false }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: bytes)
            out.append(UInt8(ascii: "\""))
            return true
        }
        if clean { return }
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0x08: out.append(contentsOf: #"\b"#.utf8)
            case 0x0C: out.append(contentsOf: #"\f"#.utf8)
            case ..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 15)])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
