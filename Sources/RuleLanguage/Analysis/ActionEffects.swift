import VehicleData

/// What a remote command does to one field a rule can read.
struct FieldEffect {
    var alias: String
    /// The value the field takes once the command has run; nil when it cannot be told
    /// in advance (a charge's rate).
    var value: Literal?
    /// Values the field moves on to by itself afterwards, with nobody acting (a charge
    /// finishes or fails; preconditioning finishes). A rule whose action sets a value its
    /// condition excludes fires again when one of these comes.
    var laterValues: [Literal] = []
    /// For an unpredictable change: whether the field changes back by itself.
    var endsByItself = false

    var fieldID: FieldID? { Catalog.field(named: alias)?.id }
}

/// What a remote command does to the data rules read: the fields it changes, and
/// whether it brings a fresh observation of every field (`wake_up`).
struct ActionEffect {
    var fields: [FieldEffect] = []
    var refreshesAll = false
    var isEmpty: Bool { fields.isEmpty && !refreshesAll }
}

/// The effect map, as data beside the catalog. Derived from SEMANTICS.md (the field
/// table, "What a firing sends") and stellantis-api/README.md (remotes, their Done
/// notifications): horn, lights and navigation change no field a rule reads.
enum ActionEffects {
    static let chargeEnds: [Literal] = [.member("Finished"), .member("Failure")]
    static let preconditioningEnds: [Literal] = [.member("Finished"), .member("Failure")]
    /// Fields that follow a charge as it starts, runs and ends (charging.plugged does
    /// not: no remote plugs a cable in).
    static let chargeFollowers = ["charging.mode", "charging.rate", "charging.remaining_time"]

    static func of(_ command: RemoteCommand) -> ActionEffect {
        switch command {
        case .chargeStart, .chargeAt:
            // A delayed charge (`at:`) starts by itself at the given time.
            return ActionEffect(fields: [FieldEffect(alias: "charging.status", value: .member("InProgress"), laterValues: chargeEnds)]
                                + chargeFollowers.map { FieldEffect(alias: $0, value: nil, endsByItself: true) })
        case .chargeStop:
            return ActionEffect(fields: [FieldEffect(alias: "charging.status", value: .member("Stopped"))]
                                + chargeFollowers.map { FieldEffect(alias: $0, value: nil) })
        case .chargePreferences(let level, let type):
            return ActionEffect(fields: (level.map { [FieldEffect(alias: "charging.power_level", value: .member($0))] } ?? [])
                                + (type.map { [FieldEffect(alias: "charging.type", value: .member($0))] } ?? []))
        case .preconditionStart:
            return ActionEffect(fields: [FieldEffect(alias: "preconditioning.status", value: .member("Enabled"),
                                                     laterValues: preconditioningEnds)])
        case .preconditionStop:
            return ActionEffect(fields: [FieldEffect(alias: "preconditioning.status", value: .member("Disabled"))])
        case .doorsLock:
            return ActionEffect(fields: [FieldEffect(alias: "doors.locked", value: .bool(true))])
        case .doorsUnlock:
            return ActionEffect(fields: [FieldEffect(alias: "doors.locked", value: .bool(false))])
        case .wakeUp:
            return ActionEffect(refreshesAll: true)
        case .hornOn, .lightsOn, .navigate:
            return ActionEffect()
        }
    }

    /// The action as written in a rule file, for messages.
    static func spelling(_ command: RemoteCommand) -> String {
        switch command {
        case .chargeStart: return "charge: start"
        case .chargeStop: return "charge: stop"
        case .chargeAt: return "charge: {at: …}"
        case .chargePreferences: return "charge: {level, type}"
        case .preconditionStart: return "precondition: start"
        case .preconditionStop: return "precondition: stop"
        case .doorsLock: return "doors: lock"
        case .doorsUnlock: return "doors: unlock"
        case .hornOn: return "horn: on"
        case .lightsOn: return "lights: on"
        case .wakeUp: return "wake_up: true"
        case .navigate: return "navigate"
        }
    }

    static func describe(_ l: Literal) -> String {
        switch l {
        case .bool(let b): return b ? "true" : "false"
        case .member(let m): return m
        case .number(let d): return "\(d)"
        }
    }
}
