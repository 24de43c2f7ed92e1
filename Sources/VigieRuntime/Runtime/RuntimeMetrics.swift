import Foundation
import Synchronization

/// The runtime's counters and gauges, rendered at `/metrics` in the Prometheus text
/// format (docs/serve.md lists them). Thread-safe; cheap enough to bump on every event.
package final class RuntimeMetrics: Sendable {
    /// One series: a metric name and its labels (sorted by name when rendered).
    package struct Series: Hashable, Sendable, Comparable {
        package var name: String
        package var labels: [String: String]

        package init(_ name: String, _ labels: [String: String] = [:]) {
            self.name = name
            self.labels = labels
        }

        /// `name{a="x",b="y"}`.
        package var text: String {
            guard !labels.isEmpty else { return name }
            let pairs = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(Self.escape($0.value))\"" }
            return name + "{" + pairs.joined(separator: ",") + "}"
        }

        package static func < (a: Series, b: Series) -> Bool { a.text < b.text }

        static func escape(_ value: String) -> String {
            value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
        }
    }

    package enum Kind: String, Sendable { case counter, gauge }

    /// What a metric is (its `# HELP` and `# TYPE`), its label names and the label values
    /// known in advance.
    package struct Family: Sendable {
        package var name: String
        package var kind: Kind
        package var help: String
        /// The label names of its series (empty: one unlabelled series).
        package var labels: [String] = []
        /// The label sets known in advance, each a value per label of `labels` (in order):
        /// counters start at 0 on each, so that `rate()` sees the first event.
        package var known: [[String]] = []

        /// Every combination of the given values of each label.
        static func product(_ values: [[String]]) -> [[String]] {
            values.reduce([[]]) { sets, choices in sets.flatMap { set in choices.map { set + [$0] } } }
        }
    }

    private let values: Mutex<[Series: Double]>

    /// Every counter starts at 0: unlabelled ones, and labelled ones on each label set
    /// known in advance. Gauges start unset — at 0 when unlabelled (they are set at once),
    /// with no sample when labelled (a value only the API can tell, e.g. a rate limit).
    package init() {
        var values: [Series: Double] = [:]
        for family in Self.families where family.kind == .counter {
            if family.labels.isEmpty {
                values[Series(family.name)] = 0
            }
            for set in family.known {
                values[Series(family.name, Dictionary(uniqueKeysWithValues: zip(family.labels, set)))] = 0
            }
        }
        self.values = Mutex(values)
    }

    /// Adds `amount` to a counter.
    package func increment(_ name: String, _ labels: [String: String] = [:], by amount: Double = 1) {
        let series = Series(name, labels)
        values.withLock { $0[series, default: 0] += amount }
    }

    /// Sets a gauge.
    package func set(_ name: String, _ labels: [String: String] = [:], to value: Double) {
        let series = Series(name, labels)
        values.withLock { $0[series] = value }
    }

    /// The current value of one series (0 when never touched).
    package func value(_ name: String, _ labels: [String: String] = [:]) -> Double {
        let series = Series(name, labels)
        return values.withLock { $0[series] ?? 0 }
    }

    /// The sum of every series of a metric, whatever its labels.
    package func total(_ name: String) -> Double {
        values.withLock { $0.filter { $0.key.name == name }.reduce(0) { $0 + $1.value } }
    }

    /// Every series and its value.
    package var snapshot: [Series: Double] { values.withLock { $0 } }

    /// The Prometheus text exposition (version 0.0.4) of every family, in name order, each
    /// with its help and type from the start: counters at 0 on their known label sets
    /// (`init`), an unlabelled gauge at 0 until set, a labelled gauge with no sample until
    /// set — never an unlabelled placeholder of a labelled family.
    package func render() -> String {
        let current = snapshot
        var out = ""
        for family in Self.families.sorted(by: { $0.name < $1.name }) {
            out += "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) \(family.kind.rawValue)\n"
            let series = current.keys.filter { $0.name == family.name }.sorted()
            if series.isEmpty && family.labels.isEmpty {
                out += "\(family.name) 0\n"
                continue
            }
            for s in series { out += "\(s.text) \(Self.format(current[s]!))\n" }
        }
        return out
    }

    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
