import RuleLanguage
import VehicleData

/// A rule's actions prepared once (SEMANTICS.md "What a firing sends"): remote bodies
/// that do not depend on the instant are built at load, `charge: {at:}` bodies are
/// cached until the wall-clock time they name, and notify texts are rendered from their
/// parts at each firing. A rule whose actions are all fixed shares one array.
final class ActionRenderer {
    enum Step {
        case fixed(DecisionAction)
        case chargeAt(hour: Int, minute: Int)
        case notify(Template)
    }

    let steps: [Step]
    /// Every action, when none depends on the vehicle or the instant.
    let constant: [DecisionAction]?
    /// Per step: the `charge: {at:}` body rendered for instants in `[cacheFrom, cacheUntil)`.
    private var cacheFrom: [Millis], cacheUntil: [Millis], cacheBody: [DecisionAction?]

    init(actions: [Action], bundle: String, rule: String) {
        steps = actions.map { action in
            switch action {
            case .remote(.chargeAt(let hour, let minute)): return .chargeAt(hour: hour, minute: minute)
            case .remote(let command): return .fixed(.remote(RemoteBody.body(command, firedAt: 0, clock: ZoneClock(identifier: "UTC")!)))
            case .notify(let template):
                let fixed = template.parts.allSatisfy { part in
                    switch part {
                    case .text, .rule, .bundle: return true
                    case .vin, .field: return false
                    }
                }
                guard fixed else { return .notify(template) }
                return .fixed(.notify(ActionRenderer.text(template, vin: "", rule: rule, bundle: bundle) { _ in nil }))
            }
        }
        var all: [DecisionAction] = []
        for case .fixed(let a) in steps { all.append(a) }
        constant = all.count == steps.count ? all : nil
        cacheFrom = Array(repeating: .max, count: steps.count)
        cacheUntil = Array(repeating: .min, count: steps.count)
        cacheBody = Array(repeating: nil, count: steps.count)
    }

    /// The actions of a firing at `t` of vehicle `vin`.
    func render(at t: Millis, vin: String, rule: String, bundle: String, clock: ZoneClock,
                value: (FieldID) -> FieldValue?) -> [DecisionAction] {
        if let constant { return constant }
        var out: [DecisionAction] = []
        out.reserveCapacity(steps.count)
        for (i, step) in steps.enumerated() {
            switch step {
            case .fixed(let a): out.append(a)
            case .chargeAt(let hour, let minute):
                if t >= cacheFrom[i], t < cacheUntil[i], let body = cacheBody[i] {
                    out.append(body)
                    continue
                }
                // The next `hour:minute` strictly after `t` is the same for every instant
                // from `t` until it.
                let at = clock.nextWallClock(after: t, hour: hour, minute: minute)
                let body = DecisionAction.remote(RemoteBody.chargeAt(at, clock: clock))
                cacheFrom[i] = t
                cacheUntil[i] = at
                cacheBody[i] = body
                out.append(body)
            case .notify(let template):
                out.append(.notify(ActionRenderer.text(template, vin: vin, rule: rule, bundle: bundle, value: value)))
            }
        }
        return out
    }

    static func text(_ template: Template, vin: String, rule: String, bundle: String,
                     value: (FieldID) -> FieldValue?) -> String {
        var out = ""
        out.reserveCapacity(64)
        for part in template.parts {
            switch part {
            case .text(let s): out += s
            case .vin: out += vin
            case .rule: out += rule
            case .bundle: out += bundle
            case .field(let f): out += ValueText.render(value(f))
            }
        }
        return out
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

