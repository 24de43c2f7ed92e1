import Foundation
import OutcomeStore
import VigieRuntime

/// `vigie pause` and `vigie resume` (docs/safety.md "Kill switch"): holds written to the
/// store of a `vigie serve` — the SQLite file, or the PostgreSQL database every instance
/// reads (`CommandStore`) — which sees them within a second. Exit 0 done, 1 when the store
/// or configuration cannot be read (or, for resume, nothing matched), 64 usage.
package enum ControlPanel {
    /// `vigie pause [--vin V] [--bundle B] [--reason TEXT]`, or `vigie pause --list`.
    package static func pause(_ options: ControlOptions, now: Date = Date()) async -> CommandOutput {
        if let usage = usageError(options, command: "pause") { return usage }
        if options.list { return await list(options) }
        return await withDatabase(options) { database in
            let hold = ControlHoldRecord(kind: .pause, vin: options.vin, bundle: options.bundle,
                                         reason: options.reason, createdAt: now)
            let result = try await database.addHold(hold, detail: nil)
            let scope = result.hold.scopeDescription
            let text = result.isNew
                ? "paused: \(scope)\n"
                : "already paused: \(scope) (since \(Timestamp.format(result.hold.createdAt)))\n"
            return CommandOutput(stdout: text, exitCode: 0)
        }
    }

    /// `vigie resume [--vin V] [--bundle B] [--rule bundle/rule]`: lifts every pause and
    /// loop stop whose own scope matches all the given options (none: all of them).
    package static func resume(_ options: ControlOptions, now: Date = Date()) async -> CommandOutput {
        if let usage = usageError(options, command: "resume") { return usage }
        let selector = self.selector(options)
        return await withDatabase(options) { database in
            let lifted = try await database.resumeHolds(matching: selector, kinds: [.pause, .loop], at: now,
                                                  detail: "vigie resume")
            let remaining = try await database.activeHolds()
            var stdout = lifted.map { "resumed: \($0.kind.rawValue) on \($0.scopeDescription)\n" }.joined()
            var stderr = ""
            let still = remaining.filter { hold in
                (selector.vin == nil || hold.vin == nil || hold.vin == selector.vin)
                    && (selector.bundle == nil || hold.bundle == nil || hold.bundle == selector.bundle)
                    && (selector.rule == nil || hold.kind != .loop || hold.rule == selector.rule)
            }
            for hold in still {
                let what = hold.kind == .config
                    ? "safety.paused is set in the configuration (edit it and restart vigie serve)"
                    : "\(hold.kind.rawValue) on \(hold.scopeDescription) (resume it with its own scope)"
                stderr += "note: still held: \(what)\n"
            }
            if lifted.isEmpty {
                stdout = ""
                stderr = "error: nothing to resume for \(describe(selector))\n" + stderr
                return CommandOutput(stdout: stdout, stderr: stderr, exitCode: 1)
            }
            return CommandOutput(stdout: stdout, stderr: stderr, exitCode: 0)
        }
    }

    /// `vigie pause --list`: pauses, loop stops and flapping holds (filtered by the options).
    static func list(_ options: ControlOptions) async -> CommandOutput {
        let selector = self.selector(options)
        return await withDatabase(options) { database in
            let holds = try await database.activeHolds().filter(selector.matches)
            let flapping = try await database.openFlapHolds().filter { event in
                selector.matches(ControlHoldRecord(kind: .loop, vin: event.vin, bundle: event.bundle,
                                                   rule: event.rule, createdAt: event.at))
            }
            let entries = holds.map(ControlListing.Entry.init(hold:)) + flapping.map(ControlListing.Entry.init(flap:))
            let text = options.format == .json ? ControlListing.json(entries) : ControlListing.text(entries)
            return CommandOutput(stdout: text, exitCode: 0)
        }
    }

    static func selector(_ options: ControlOptions) -> ControlSelector {
        var selector = ControlSelector(vin: options.vin, bundle: options.bundle)
        if let rule = options.rule, let slash = rule.firstIndex(of: "/") {
            selector.bundle = String(rule[..<slash])
            selector.rule = String(rule[rule.index(after: slash)...])
        }
        return selector
    }

    static func describe(_ selector: ControlSelector) -> String {
        if selector.isEverything { return "all vehicles" }
        var parts: [String] = []
        if let vin = selector.vin { parts.append("vin \(vin)") }
        if let rule = selector.rule { parts.append("rule \(selector.bundle ?? "")/\(rule)") }
        else if let bundle = selector.bundle { parts.append("bundle \(bundle)") }
        return parts.joined(separator: ", ")
    }

    /// Opens the store named by `--db`, or by the configuration (`database:` or `store:`).
    static func withDatabase(_ options: ControlOptions, _ body: (any ConsoleStore) async throws -> CommandOutput) async
        -> CommandOutput {
        guard options.databasePath != nil || options.configPath != nil else {
            return CommandOutput(stderr: "error: give --db FILE or --config FILE\n", exitCode: 64)
        }
        do {
            let store = try CommandStore.resolve(databasePath: options.databasePath, configPath: options.configPath,
                                                 environment: options.environment)
            return try await store.with(body)
        } catch {
            return CommandOutput(stderr: "error: \(error)\n", exitCode: 1)
        }
    }
}
