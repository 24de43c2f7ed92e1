import AsyncHTTPClient
import Console
import Foundation
import Hummingbird
import NIOCore
import OutcomeStore
import RuleLanguage
import VigieKit

/// `vigie bench console`: every console page served over loopback HTTP by a real
/// Hummingbird server, against an outcome log (SQLite file) seeded with `vehicles` ×
/// `rules` engine states and `decisions` decisions per vehicle, and with `inbox` > 0 that
/// many stored notifications per vehicle over the last day. Prints, per page, the median
/// and worst of `repeats` requests (after two warm-up requests) and the page size; with an
/// inbox, also `vigie explain`'s rebuild of one vehicle against the whole-inbox rebuild it
/// replaced, timed in process on the same database.
package enum ConsoleBenchmark {
    package struct Page: Sendable {
        package var name: String
        package var path: String
        package var median: Double
        package var worst: Double
        package var bytes: Int
    }

    package struct Result: Sendable {
        package var vehicles: Int
        package var rules: Int
        package var decisions: Int
        package var seedSeconds: Double
        package var pages: [Page]
        /// Stored notifications (all vehicles).
        package var inboxRows: Int = 0
        /// `vigie explain`'s rebuilds (`bytes`: the answer's).
        package var rebuilds: [Page] = []
    }

    /// The reorder window the trace page and explain replay with (serve's default).
    static let reorderWindow = 2.0

    package static func run(vehicles: Int, rules: Int, decisions: Int, repeats: Int, inbox: Int = 0) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-bench-console-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try OutcomeDatabase(path: directory.appendingPathComponent("log.sqlite").path)
        let names = (0..<rules).map { String(format: "r%02d", $0) }
        let yaml = "vigie: 1\nbundle: bench\nrules:\n" + names.enumerated().map { i, name in
            "  - id: \(name)\n    when: battery.level < \(10 + i)\n    for: 5m\n    then:\n      - horn: on\n"
        }.joined()
        let validated = RuleValidator.validate([SourceFile(path: "bench.yaml", text: yaml)])
        guard !validated.hasErrors else { throw ConsoleBenchmarkError(message: "\(validated.diagnostics)") }
        let now = Date()
        let seedStart = Date()
        try ConsoleFixture.seed(database, vehicles: vehicles, bundle: "bench", rules: names,
                                decisionsPerVehicle: decisions, now: now)
        try ConsoleFixture.seedDeployment(database, vehicles: vehicles, bundle: "bench", rules: names, now: now)
        let inboxRows = try ConsoleFixture.seedInbox(database, vehicles: vehicles, perVehicle: inbox, span: 86_400, now: now)
        let seedSeconds = Date().timeIntervalSince(seedStart)
        let token = Console.newToken()
        // The trace page's `--explain` view as serve mounts it.
        let explain = Explain.consoleExplainer(bundles: validated.bundles, inventory: nil, reorderWindow: reorderWindow)(database)
        let console = try Console(source: ConsoleSource(database: database, bundles: validated.bundles, now: { now },
                                                        explain: explain),
                                  settings: ConsoleSettings(token: token))
        let router = Router()
        console.addRoutes(to: router)
        let port = PortBox()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { port.set($0.localAddress?.port ?? 0) })
        let server = Task {
            defer { port.serverEnded() }
            try await app.runService(gracefulShutdownSignals: [])
        }
        defer { server.cancel() }
        let bound = try await port.wait()
        let middle = ConsoleFixture.vin(vehicles / 2)
        let lastRulesPage = (vehicles + max(1, 200 / rules) - 1) / max(1, 200 / rules)
        let firing = try database.consoleRecentDecisions(vin: middle, limit: 10).first { $0.event == "fired" }?.id ?? 1
        let paths: [(String, String)] = [
            ("Overview", "/console"),
            ("Vehicles, first page", "/console/vehicles"),
            ("Vehicles, last page", "/console/vehicles?page=\((vehicles + 49) / 50)"),
            ("Vehicles, VIN filter", "/console/vehicles?vin=\(middle)"),
            ("One vehicle", "/console/vehicles/\(middle)"),
            ("Rules × vehicles, first page", "/console/rules"),
            ("Rules × vehicles, last page", "/console/rules?page=\(lastRulesPage)"),
            ("Rules × vehicles, one rule", "/console/rules?bundle=bench&rule=r07"),
            ("Rules × vehicles, one rule, last page", "/console/rules?rule=r07&page=\((vehicles + 199) / 200)"),
            ("Rules × vehicles, one VIN", "/console/rules?vin=\(middle)"),
            ("A decision's trace", "/console/decisions/\(firing)"),
            ("Commands and holds", "/console/holds"),
            ("Deployments, first page", "/console/deployments"),
            ("Deployments, last page", "/console/deployments?page=\((try database.deploymentSummary(vin: nil).monitors + 199) / 200)"),
            ("Deployments, one VIN", "/console/deployments?vin=\(middle)"),
        ]
        var pages: [Page] = []
        for (name, path) in paths {
            var times: [Double] = []
            var bytes = 0
            for i in 0..<(repeats + 2) {
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(bound)\(path)")
                request.headers.add(name: "Authorization", value: "Bearer \(token)")
                let start = ContinuousClock.now
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
                let body = try await response.body.collect(upTo: 64 << 20)
                let elapsed = ContinuousClock.now - start
                guard response.status == .ok else {
                    throw ConsoleBenchmarkError(message: "\(path): HTTP \(response.status.code)")
                }
                bytes = body.readableBytes
                if i >= 2 { times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000) }
            }
            times.sort()
            pages.append(Page(name: name, path: path, median: times[times.count / 2], worst: times.last ?? 0, bytes: bytes))
        }
        var result = Result(vehicles: vehicles, rules: rules, decisions: decisions, seedSeconds: seedSeconds, pages: pages)
        guard inboxRows > 0, let decision = try database.consoleRecentDecisions(vin: middle, limit: 10).first(where: { $0.event == "fired" }) else { return result }
        result.inboxRows = inboxRows
        // `vigie explain` at the trace's decision and half a day earlier: the vehicle's rows,
        // then the whole inbox (slow: fewer repeats).
        for (label, at) in [("at the decision", decision.at), ("12 h earlier", decision.at.addingTimeInterval(-43_200))] {
            for whole in [false, true] {
                var times: [Double] = []
                var bytes = 0
                for i in 0..<(whole ? 3 : repeats + 2) {
                    let start = ContinuousClock.now
                    let text = try await Explain.answerText(database: database, bundles: validated.bundles, reorderWindow: reorderWindow,
                                                      vin: middle, bundle: decision.bundle, rule: decision.rule, at: at,
                                                      wholeInbox: whole)
                    let elapsed = ContinuousClock.now - start
                    bytes = text.utf8.count
                    if i >= (whole ? 1 : 2) {
                        times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
                    }
                }
                times.sort()
                let name = "vigie explain \(label), " + (whole ? "whole inbox (before)" : "one vehicle's rows")
                result.rebuilds.append(Page(name: name, path: "", median: times[times.count / 2], worst: times.last ?? 0,
                                            bytes: bytes))
            }
        }
        return result
    }

    package static func report(_ r: Result) -> String {
        var out = "console pages: \(r.vehicles) vehicles × \(r.rules) rules, \(r.decisions) decisions per vehicle "
            + String(format: "(seeded in %.1f s)\n\n", r.seedSeconds)
        out += "| page | median ms | worst ms | KiB |\n| --- | ---: | ---: | ---: |\n"
        for p in r.pages {
            out += String(format: "| %@ | %.1f | %.1f | %.0f |\n", p.name, p.median, p.worst, Double(p.bytes) / 1024)
        }
        if !r.rebuilds.isEmpty {
            out += "\nexplain rebuilds: \(r.inboxRows) stored notifications, reorder window \(reorderWindow) s\n\n"
            out += "| rebuild | median ms | worst ms |\n| --- | ---: | ---: |\n"
            for p in r.rebuilds { out += String(format: "| %@ | %.1f | %.1f |\n", p.name, p.median, p.worst) }
        }
        return out
    }
}

struct ConsoleBenchmarkError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// The port the server bound, once it is listening.
/// `onServerRunning` yields the port; `wait()` returns the first one, or fails when the
/// server stopped without listening.
struct PortBox: Sendable {
    private let ports: AsyncStream<Int>
    private let continuation: AsyncStream<Int>.Continuation

    init() { (ports, continuation) = AsyncStream.makeStream(of: Int.self) }

    func set(_ value: Int) {
        continuation.yield(value)
        continuation.finish()
    }

    /// Ends the wait when the server's task ended without listening.
    func serverEnded() { continuation.finish() }

    func wait() async throws -> Int {
        for await port in ports where port > 0 { return port }
        throw ConsoleBenchmarkError(message: "the console's server did not start")
    }
}
