/// Kleene's three-valued truth (SEMANTICS.md "Truth"): only `.true` is true.
public enum Truth: UInt8, Sendable, Hashable, CustomStringConvertible {
    case `false` = 0, `true` = 1, unknown = 2

    public init(_ b: Bool) { self = b ? .true : .false }

    public static func and(_ a: Truth, _ b: Truth) -> Truth {
        if a == .false || b == .false { return .false }
        if a == .unknown || b == .unknown { return .unknown }
        return .true
    }

    public static func or(_ a: Truth, _ b: Truth) -> Truth {
        if a == .true || b == .true { return .true }
        if a == .unknown || b == .unknown { return .unknown }
        return .false
    }

    public var negated: Truth {
        switch self {
        case .true: return .false
        case .false: return .true
        case .unknown: return .unknown
        }
    }

    public var description: String {
        switch self {
        case .true: return "true"
        case .false: return "false"
        case .unknown: return "unknown"
        }
    }
}
