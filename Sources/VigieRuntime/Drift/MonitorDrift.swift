import MonitorCompiler
import StellantisModels

/// How the monitors deployed for Vigie's callback differ from what the rules compile to
/// (the comparison of `vigie plan`, `MonitorDiff`, over every scope): what `vigie serve`
/// alerts about (`monitors-drifted`, docs/notifications.md) and counts in the
/// `vigie_monitors_drifted` gauge. Monitors Vigie does not own are left out, as plan
/// leaves them alone.
package struct MonitorDrift: Sendable, Hashable {
    /// One monitor that differs: where, and its label (the compiled one for a missing or
    /// changed monitor, the deployed one for an extra monitor).
    package struct Item: Sendable, Hashable {
        package var scope: String
        package var label: String
    }

    /// Compiled, and not deployed: `vigie apply` creates them.
    package var missing: [Item] = []
    /// Deployed by Vigie, and served by no compiled monitor: `vigie apply` deletes them.
    package var extra: [Item] = []
    /// Deployed for the same rules with another body: `vigie apply` updates them.
    package var changed: [Item] = []

    package init(missing: [Item] = [], extra: [Item] = [], changed: [Item] = []) {
        self.missing = missing
        self.extra = extra
        self.changed = changed
    }

    /// Compares `scopes` (scope name → compiled monitors; a scope listed twice counts once)
    /// with `deployed` (scope name → every monitor listed there); a scope only deployed
    /// (a vehicle no bundle selects any more) has all of Vigie's monitors extra.
    package init(scopes: [(String, [CompiledMonitor])], deployed: [String: [MonitorState]]) {
        var seen = Set<String>()
        for (scope, wanted) in scopes where seen.insert(scope).inserted {
            let present = (deployed[scope] ?? []).filter { MonitorDiff.isVigie($0.monitor.label) }
            let diff = MonitorDiff(wanted: wanted, deployed: present)
            missing += diff.creates.map { Item(scope: scope, label: $0.monitor.label) }
            changed += diff.updates.map { Item(scope: scope, label: $0.wanted.monitor.label) }
            extra += diff.deletes.map { Item(scope: scope, label: $0.monitor.label) }
        }
        for (scope, present) in deployed.sorted(by: { $0.key < $1.key }) where !seen.contains(scope) {
            extra += present.filter { MonitorDiff.isVigie($0.monitor.label) }.map { Item(scope: scope, label: $0.monitor.label) }
        }
    }

    /// Monitors that differ.
    package var count: Int { missing.count + extra.count + changed.count }

    package var isEmpty: Bool { count == 0 }

    /// `2 missing (vehicle VIN: b/r), 1 extra (…)`: counts, and the first `names` of each
    /// kind by their rules.
    package func summary(names: Int = 3) -> String {
        [("missing", missing), ("extra", extra), ("changed", changed)].compactMap { what, items in
            guard !items.isEmpty else { return nil }
            let shown = items.prefix(names).map { "\($0.scope): \(Self.name($0.label))" }
            let more = items.count > names ? ", …" : ""
            return "\(items.count) \(what) (\(shown.joined(separator: "; "))\(more))"
        }.joined(separator: ", ")
    }

    /// A label by the rules it serves (`b/r1,b/r2`), the label itself when not Vigie's.
    static func name(_ label: String) -> String {
        let rules = MonitorDiff.rules(inLabel: label)
        guard MonitorDiff.isVigie(label), !rules.isEmpty else { return label }
        let more = MonitorDiff.identity(label).split(separator: "+").dropFirst().first.map { " +\($0)" } ?? ""
        return rules.joined(separator: ",") + more
    }
}
