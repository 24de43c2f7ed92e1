import RuleLanguage
import VehicleData

/// Renders a firing's actions: remote bodies exactly as POSTed and notify texts
/// (SEMANTICS.md "What a firing sends").
struct ActionRenderer {
    let bundle: CheckedBundle
    let clock: ZoneClock
    let rule: String
    let vin: String
    let value: (FieldID) -> FieldValue?

    func render(_ action: Action, at t: Millis) -> DecisionAction {
        switch action {
        case .remote(let command): return .remote(RemoteBody.body(command, firedAt: t, clock: clock))
        case .notify(let template): return .notify(render(template))
        }
    }

    func render(_ template: Template) -> String {
        var out = ""
        for part in template.parts {
            switch part {
            case .text(let s): out += s
            case .vin: out += vin
            case .rule: out += rule
            case .bundle: out += bundle.name
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
            let at = clock.nextWallClock(after: t, hour: hour, minute: minute)
            let text = RFC3339.format(at, offsetSeconds: clock.offsetSeconds(at: at))
            return o("charging", o("schedule", o("nextDelayedTime", .string(text))))
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
        if n.rounded() == n, abs(n) < 1e15 { return String(Int64(n)) }
        return "\(n)"
    }
}

