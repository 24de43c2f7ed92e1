/// The untyped syntax tree of one rule file, as the loader reads it from YAML. Every
/// node carries its source range; values are kept as written (the checker reads
/// units, durations, times and names).
struct RuleFileAST {
    var version: Located<ScalarValue>?
    var bundle: Located<String>?
    var description: Located<String>?
    var timezone: Located<String>?
    var vehicles: VehiclesDecl?
    var zones: [ZoneDecl] = []
    var schedules: [ScheduleDecl] = []
    var allow: [Located<String>] = []
    /// `notify_to:`: the bundle's default notification channels (nil when absent).
    var notifyTo: [Located<String>]?
    var rules: [RuleDecl] = []
    var range: SourceRange
}

struct Located<Value> {
    var value: Value
    var range: SourceRange
}

/// An expression or template string with the map from its characters to the file.
struct EmbeddedText {
    var text: String
    var map: ScalarOffsetMap
    var range: SourceRange
}

enum VehiclesDecl {
    case all(SourceRange)
    case selectors([Located<VehicleSelector>])
}

struct ZoneDecl {
    var name: Located<String>
    var latitude: Located<ScalarValue>?
    var longitude: Located<ScalarValue>?
    var radius: Located<ScalarValue>?
    var range: SourceRange
}

struct ScheduleDecl {
    var name: Located<String>
    var days: [Located<String>]?
    var from: Located<ScalarValue>?
    var to: Located<ScalarValue>?
    var range: SourceRange
}

enum DuringItem {
    case name(Located<String>)
    case inline(ScheduleDecl)
}

struct RuleDecl {
    var id: Located<String>?
    var description: Located<String>?
    var when: EmbeddedText?
    var forDuration: Located<ScalarValue>?
    var during: [DuringItem] = []
    var then: [ActionDecl] = []
    var cooldown: Located<ScalarValue>?
    var repeatEvery: Located<ScalarValue>?
    var maxPerDay: Located<ScalarValue>?
    var mode: Located<String>?
    var enabled: Located<Bool>?
    /// Rule-level opt-ins: `allow: [feedback]` acknowledges a feedback loop.
    var allow: [Located<String>] = []
    var range: SourceRange
}

/// One item of `then:`: `{kind: argument}`.
struct ActionDecl {
    var kind: Located<String>
    var argument: ActionArgument
    var range: SourceRange
}

/// An action's argument: a scalar, or a flat mapping of scalars (or one nested
/// `{lat, lon}` mapping for `navigate: {to: …}`).
indirect enum ActionArgument {
    case scalar(Located<ScalarValue>, EmbeddedText?)
    case mapping([(key: Located<String>, value: ActionArgument)], SourceRange)
    /// A list inside an action's mapping: `notify: {to: [phone, mail]}` only.
    case list([ActionArgument], SourceRange)
    case other(kind: String, SourceRange)

    var range: SourceRange {
        switch self {
        case .scalar(let v, _): return v.range
        case .mapping(_, let r): return r
        case .list(_, let r): return r
        case .other(_, let r): return r
        }
    }
}
