import RuleLanguage
import VehicleData

/// A rule's actions prepared once (SEMANTICS.md "What a firing sends"): remote bodies
/// that do not depend on the instant are built at load, `charge: {at:}` instants are
/// cached until the wall-clock time they name, and notify texts are rendered from their
/// parts at each firing, as bytes into the engine's text buffer. A rule whose actions
/// are all fixed shares one array.
final class ActionRenderer {
    enum Step {
        case fixed(DecisionAction)
        case chargeAt(hour: Int, minute: Int)
        /// A notify text rendered at each firing; with a title template (rendered too) and
        /// the rule's `to` and `priority`, when it gives them.
        case notify([Piece], title: [Piece]?, options: NotifyDetails?)
    }

    /// A part of a notify template, ready to append.
    enum Piece {
        case bytes([UInt8])
        case vin
        case field(FieldID)
        case age(FieldID)
        /// `{{time}}`: `HH:MM` of the firing instant in the bundle's zone.
        case time
        /// `{{vehicle.name}}`: the inventory's name, else the VIN.
        case vehicleName
    }

    let steps: [Step]
    /// The time zone of the rule's bundle (`charge: {at:}` instants and offsets).
    let clock: ZoneClock
    /// Every action, when none depends on the vehicle or the instant.
    let constant: [DecisionAction]?
    /// Payload words a firing records (see `record`).
    let payloadWords: Int
    /// Whether a notify text inserts the VIN.
    let usesVIN: Bool
    /// Per step: the `charge: {at:}` instant for firings in `[cacheFrom, cacheUntil)`.
    private var cacheFrom: [Millis], cacheUntil: [Millis]
    /// Per step: the last `charge: {at:}` body built, and its instant.
    private var bodyAt: [Millis], body: [DecisionAction?]

    init(actions: [Action], bundle: String, rule: String, clock: ZoneClock) {
        self.clock = clock
        steps = actions.map { action in
            switch action {
            case .remote(.chargeAt(let hour, let minute)): return .chargeAt(hour: hour, minute: minute)
            case .remote(let command): return .fixed(.remote(RemoteBody.body(command, firedAt: 0, clock: ZoneClock(identifier: "UTC")!)))
            case .notify(let template):
                let pieces = Self.pieces(template.parts, bundle: bundle, rule: rule)
                let options = template.to != nil || template.priority != nil || template.title != nil
                    ? NotifyDetails(title: nil, to: template.to, priority: template.priority) : nil
                if options == nil, pieces.allSatisfy({ if case .bytes = $0 { return true } else { return false } }) {
                    return .fixed(.notify(String(decoding: pieces.flatMap { piece -> [UInt8] in
                        if case .bytes(let b) = piece { return b } else { return [] }
                    }, as: UTF8.self)))
                }
                return .notify(pieces, title: template.title.map { Self.pieces($0, bundle: bundle, rule: rule) }, options: options)
            }
        }
        var all: [DecisionAction] = []
        var words = 0
        for step in steps {
            switch step {
            case .fixed(let a): all.append(a)
            case .chargeAt: words += 1
            case .notify(_, let title, _): words += title == nil ? 2 : 4
            }
        }
        constant = all.count == steps.count ? all : nil
        payloadWords = words
        usesVIN = steps.contains { step in
            guard case .notify(let pieces, let title, _) = step else { return false }
            return (pieces + (title ?? [])).contains {
                switch $0 {
                case .vin, .vehicleName: return true
                default: return false
                }
            }
        }
        cacheFrom = Array(repeating: .max, count: steps.count)
        cacheUntil = Array(repeating: .min, count: steps.count)
        bodyAt = Array(repeating: .min, count: steps.count)
        body = Array(repeating: nil, count: steps.count)
    }

    /// Records what a firing at `t` adds to the fixed actions: per `charge: {at:}` step
    /// the instant it names (one word of `payload`), per notify step its text, appended
    /// to `text` (its offset and length, two words). `vin`, `value` and `age` give what
    /// the templates insert. Returns where its words start (-1: none, all fixed).
    @inline(__always)
    func record(at t: Millis, payload: PodBuffer<Int64>, text: PodBuffer<UInt8>,
                vin: (PodBuffer<UInt8>) -> Void, value: (FieldID, PodBuffer<UInt8>) -> Void,
                age: (FieldID, PodBuffer<UInt8>) -> Void,
                name: ((PodBuffer<UInt8>) -> Void)? = nil) -> Int32 {
        guard payloadWords > 0 else { return -1 }
        let start = Int32(payload.count)
        for (i, step) in steps.enumerated() {
            switch step {
            case .fixed: continue
            case .chargeAt(let hour, let minute):
                if !(t >= cacheFrom[i] && t < cacheUntil[i]) {
                    // The next `hour:minute` strictly after `t` is the same for every
                    // instant from `t` until it.
                    cacheFrom[i] = t
                    cacheUntil[i] = clock.nextWallClock(after: t, hour: hour, minute: minute)
                }
                payload.append(cacheUntil[i], count: 1)
            case .notify(let pieces, let title, _):
                render(pieces, at: t, payload: payload, text: text, vin: vin, value: value, age: age, name: name)
                if let title { render(title, at: t, payload: payload, text: text, vin: vin, value: value, age: age, name: name) }
            }
        }
        return start
    }

    /// Appends one template's text to `text` and its offset and length (two words) to `payload`.
    @inline(__always)
    private func render(_ pieces: [Piece], at t: Millis, payload: PodBuffer<Int64>, text: PodBuffer<UInt8>,
                        vin: (PodBuffer<UInt8>) -> Void, value: (FieldID, PodBuffer<UInt8>) -> Void,
                        age: (FieldID, PodBuffer<UInt8>) -> Void, name: ((PodBuffer<UInt8>) -> Void)?) {
        let offset = text.count
        for piece in pieces {
            switch piece {
            case .bytes(let b): b.withUnsafeBufferPointer { text.append(contentsOf: $0) }
            case .vin: vin(text)
            case .field(let f): value(f, text)
            case .age(let f): age(f, text)
            case .time: Array(clock.hourMinute(at: t).utf8).withUnsafeBufferPointer { text.append(contentsOf: $0) }
            case .vehicleName: if let name { name(text) } else { vin(text) }
            }
        }
        payload.append(Int64(offset), count: 1)
        payload.append(Int64(text.count - offset), count: 1)
    }

    /// The actions of a firing that `record` recorded at `payload` (-1: all fixed).
    func actions(payload start: Int32, words: UnsafeBufferPointer<Int64>, text: UnsafeBufferPointer<UInt8>) -> [DecisionAction] {
        actionsAndDetails(payload: start, words: words, text: text).actions
    }

    /// The actions, and per notify action whose rule gives a title, `to` or `priority`
    /// (by action index) those, rendered.
    func actionsAndDetails(payload start: Int32, words: UnsafeBufferPointer<Int64>,
                           text: UnsafeBufferPointer<UInt8>) -> (actions: [DecisionAction], details: [Int: NotifyDetails]) {
        if let constant { return (constant, [:]) }
        var details: [Int: NotifyDetails] = [:]
        var out: [DecisionAction] = []
        out.reserveCapacity(steps.count)
        var w = Int(start)
        for (i, step) in steps.enumerated() {
            switch step {
            case .fixed(let a): out.append(a)
            case .chargeAt:
                let at = words[w]
                w += 1
                if bodyAt[i] != at || body[i] == nil {
                    bodyAt[i] = at
                    body[i] = .remote(RemoteBody.chargeAt(at, clock: clock))
                }
                out.append(body[i]!)
            case .notify(_, let title, let options):
                let offset = Int(words[w]), length = Int(words[w + 1])
                w += 2
                if var options {
                    if title != nil {
                        let titleOffset = Int(words[w]), titleLength = Int(words[w + 1])
                        w += 2
                        options.title = String(decoding: UnsafeBufferPointer(rebasing: text[titleOffset..<titleOffset + titleLength]),
                                               as: UTF8.self)
                    }
                    details[out.count] = options
                }
                out.append(.notify(String(decoding: UnsafeBufferPointer(rebasing: text[offset..<offset + length]),
                                          as: UTF8.self)))
            }
        }
        return (out, details)
    }

    static func pieces(_ parts: [Template.Part], bundle: String, rule: String) -> [Piece] {
        parts.map { part in
            switch part {
            case .text(let s): return .bytes(Array(s.utf8))
            case .rule: return .bytes(Array(rule.utf8))
            case .bundle: return .bytes(Array(bundle.utf8))
            case .vin: return .vin
            case .field(let f): return .field(f)
            case .age(let f): return .age(f)
            case .time: return .time
            case .vehicleName: return .vehicleName
            }
        }
    }
}

/// Remote request bodies (SEMANTICS.md; the `Remote` schema of api-b2c.yaml).
public enum RemoteBody {
    public static func body(_ command: RemoteCommand, firedAt t: Millis, clock: ZoneClock) -> JSONValue {
        switch command {
        case .chargeStart: return o("charging", o("immediate", .bool(true)))
        case .chargeStop: return o("charging", o("immediate", .bool(false)))
        case .chargeAt(let hour, let minute):
            return chargeAt(clock.nextWallClock(after: t, hour: hour, minute: minute), clock: clock)
        case .chargePreferences(let level, let type):
            var prefs: [String: JSONValue] = [:]
            if let level { prefs["level"] = .string(level) }
            if let type { prefs["type"] = .string(type) }
            return o("charging", o("preferences", .object(prefs)))
        case .preconditionStart: return o("preconditioning", o("airConditioning", o("immediate", .bool(true))))
        case .preconditionStop: return o("preconditioning", o("airConditioning", o("immediate", .bool(false))))
        case .doorsLock: return o("door", o("state", .string("Locked")))
        case .doorsUnlock: return o("door", o("state", .string("Unlocked")))
        case .hornOn: return o("horn", o("state", .string("Activated")))
        case .lightsOn: return o("lights", o("on", .bool(true)))
        case .wakeUp: return o("wakeUp", o("action", .string("WakeUp")))
        case .navigate(let lat, let lon, let approval):
            let point: JSONValue = .object(["type": .string("Point"), "coordinates": .array([.number(lon), .number(lat)])])
            return o("navigation", .object(["positions": .array([point]), "driverApproval": .bool(approval)]))
        }
    }

    /// `charge: {at:}`: the delayed charge at instant `at`, with its local offset.
    static func chargeAt(_ at: Millis, clock: ZoneClock) -> JSONValue {
        let text = RFC3339.format(at, offsetSeconds: clock.offsetSeconds(at: at))
        return o("charging", o("schedule", o("nextDelayedTime", .string(text))))
    }

    private static func o(_ key: String, _ value: JSONValue) -> JSONValue { .object([key: value]) }
}

/// How a value prints in a notify text: integral numbers without a decimal point,
/// others in the shortest form that reads back exactly, enums by name, `lat,lon`,
/// `unknown` when never observed.
public enum ValueText {
    public static func render(_ value: FieldValue?) -> String {
        guard let value else { return "unknown" }
        switch value {
        case .number(let n): return number(n)
        case .bool(let b): return b ? "true" : "false"
        case .member(let m): return m
        case .set(let s): return s.joined(separator: ",")
        case .point(let lat, let lon): return number(lat) + "," + number(lon)
        }
    }

    public static func number(_ n: Double) -> String {
        // Integral: no decimal point and no exponent (SEMANTICS: `18`), whatever the size.
        if n.rounded() == n, abs(n) < 9.2e18 { return String(Int64(n)) }
        if n.rounded() == n, n.isFinite { return expanded(n.description) }
        return "\(n)"
    }

    /// `1.5e+20` → `150000000000000000000`: the shortest digits that read back exactly,
    /// then zeros (only for integral values beyond Int64).
    static func expanded(_ text: String) -> String {
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }), let exponent = Int(text[text.index(after: e)...])
        else { return text }
        var mantissa = String(text[..<e])
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa.removeFirst() }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(parts[0]), fraction = parts.count > 1 ? String(parts[1]) : ""
        let digits = whole + fraction
        let zeros = max(0, exponent - fraction.count)
        return (negative ? "-" : "") + digits + String(repeating: "0", count: zeros)
    }
}


extension ValueText {
    /// Appends `render(value)`'s bytes to `text`; integral numbers without going through
    /// a `String`.
    static func append(_ value: FieldValue?, to text: PodBuffer<UInt8>) {
        if case .number(let n)? = value {
            append(number: n, to: text)
        } else {
            append(render(value), to: text)
        }
    }

    /// Appends `number(n)`'s bytes to `text`.
    static func append(number n: Double, to text: PodBuffer<UInt8>) {
        guard n.rounded() == n, abs(n) < 9.2e18 else { return append(number(n), to: text) }
        let whole = Int64(n)
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0) // 24 bytes: "-" and 19 digits fit
        withUnsafeMutableBytes(of: &digits) { buffer in
            var magnitude = whole.magnitude
            var i = buffer.count
            repeat {
                i -= 1
                buffer[i] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 48
                magnitude /= 10
            } while magnitude != 0
            if whole < 0 {
                i -= 1
                buffer[i] = 45 // "-"
            }
            text.append(contentsOf: UnsafeBufferPointer(rebasing: buffer.bindMemory(to: UInt8.self)[i...]))
        }
    }

    /// An age (SEMANTICS.md "Data time and age") as `XdYhZm` without zero leading parts:
    /// `2h05m`, `45m`, `3d0h00m`; under a minute `0m`; nil (never observed) `unknown`.
    public static func age(_ ms: Millis?) -> String {
        guard let ms else { return "unknown" }
        let minutes = max(0, ms) / 60_000
        let d = minutes / 1440, h = minutes % 1440 / 60, m = minutes % 60
        let mm = m < 10 ? "0\(m)" : "\(m)"
        if d > 0 { return "\(d)d\(h)h\(mm)m" }
        if h > 0 { return "\(h)h\(mm)m" }
        return "\(m)m"
    }

    static func append(age ms: Millis?, to text: PodBuffer<UInt8>) { append(age(ms), to: text) }

    /// Appends `s`'s UTF-8 bytes to `text`.
    static func append(_ s: String, to text: PodBuffer<UInt8>) {
        var s = s
        s.withUTF8 { text.append(contentsOf: $0) }
    }
}
