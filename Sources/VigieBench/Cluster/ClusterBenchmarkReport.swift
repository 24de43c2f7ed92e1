import Foundation

extension ClusterBenchmark {
    /// The figures, one per line.
    package static func report(_ r: Result, options: Options) -> String {
        func s(_ v: Double) -> String { String(format: "%.2f s", v) }
        func ms(_ v: Double) -> String { String(format: "%.0f ms", v * 1000) }
        func stats(_ values: [Double], _ show: (Double) -> String) -> String {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return "-" }
            let p99 = IntakeBenchmark.Result.percentile(99, of: sorted)
            return "min \(show(sorted[0]))  p50 \(show(IntakeBenchmark.Result.percentile(50, of: sorted)))  "
                + "p99 \(show(p99))  max \(show(sorted[sorted.count - 1]))"
        }
        let refused = r.rounds.filter(\.staleRefused).count
        return [
            """
            cluster takeover: \(r.rounds.count) rounds, P = \(options.partitions), lease \(options.lease) s (renewed every \
            \(String(format: "%.2f", options.lease / 3)) s), \(r.vehicles) vehicles in the partition \
            (\(String(format: "%.1f", Double(r.stateBytes) / 1_048_576)) MiB of engine state, \(options.rules) rules), \
            \(r.backlogRows) unprocessed notifications, PostgreSQL synchronous_commit=on
            """,
            "takeover (last renewal of the dead owner -> first fenced commit of the new one): " + stats(r.rounds.map(\.takeover), s),
            "restore (lease granted -> engine restored, backlog read, first commit): " + stats(r.rounds.map(\.restore), ms),
            "  read and decode the state: " + stats(r.rounds.map(\.readState), ms),
            "  restore the engine: " + stats(r.rounds.map(\.restoreEngine), ms),
            "  read the backlog in order: " + stats(r.rounds.map(\.readBacklog), ms),
            "stale owner's commit after the takeover: refused (fenced) in \(refused) of \(r.rounds.count) rounds",
        ].joined(separator: "\n") + "\n\n"
    }
}
