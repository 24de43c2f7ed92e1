import StellantisModels

/// Compiled monitors against the monitors deployed in one scope (a vehicle, or a fleet),
/// by label — the comparison `vigie plan` makes and `vigie serve` repeats to alert on
/// drift (docs/deploying.md, docs/notifications.md). Pure.
///
/// A deployed monitor whose label equals a compiled one is current (labels end with a
/// hash of the body); one serving the same rules with another hash is to be updated in
/// place; compiled monitors left over are to be created, deployed ones left over deleted.
/// Only Vigie's monitors (`MonitorDiff.isVigie`) are to be given: the caller counts the
/// others apart.
public struct MonitorDiff: Sendable {
    /// A compiled monitor and the deployed one it keeps or replaces.
    public struct Pair: Sendable {
        public var wanted: CompiledMonitor
        public var deployed: MonitorState
    }

    /// Current: the deployed label is the compiled one (compiled order).
    public var unchanged: [Pair]
    /// Same rules, another body (compiled order).
    public var updates: [Pair]
    /// Compiled, with nothing deployed for their rules (compiled order).
    public var creates: [CompiledMonitor]
    /// Deployed, and no compiled monitor serves their rules (deployed order).
    public var deletes: [MonitorState]

    public init(wanted: [CompiledMonitor], deployed: [MonitorState]) {
        var remaining = deployed
        var pending: [CompiledMonitor] = []
        unchanged = []
        for monitor in wanted {
            if let i = remaining.firstIndex(where: { $0.monitor.label == monitor.monitor.label }) {
                unchanged.append(Pair(wanted: monitor, deployed: remaining.remove(at: i)))
            } else {
                pending.append(monitor)
            }
        }
        updates = []
        creates = []
        for monitor in pending {
            let identity = Self.identity(monitor.monitor.label)
            if let i = remaining.firstIndex(where: { Self.identity($0.monitor.label) == identity }) {
                updates.append(Pair(wanted: monitor, deployed: remaining.remove(at: i)))
            } else {
                creates.append(monitor)
            }
        }
        deletes = remaining
    }

    /// Whether anything differs.
    public var isEmpty: Bool { updates.isEmpty && creates.isEmpty && deletes.isEmpty }

    /// Whether Vigie wrote this label (`vigie:<rules>:<hash>`).
    public static func isVigie(_ label: String) -> Bool { label.hasPrefix("vigie:") }

    /// A Vigie label without its hash: which rules the monitor serves.
    public static func identity(_ label: String) -> String {
        guard MonitorLabel.hash(inLabel: label) != nil else { return label }
        return String(label.dropLast(17))
    }

    /// The `bundle/rule` keys a Vigie label names (a `+N` tail is dropped).
    public static func rules(inLabel label: String) -> [String] {
        let body = identity(label).dropFirst("vigie:".count)
        let shown = body.split(separator: "+").first.map(String.init) ?? ""
        return shown.split(separator: ",").map(String.init)
    }
}
