import Foundation
import OutcomeStore
import RuleEngine
import VigieRuntime

/// `vigie send VIN ACTION`: queues a remote command by hand in the store of a `vigie
/// serve` (SQLite or PostgreSQL, `CommandStore`), which sends it like a rule's command —
/// same outbox, pause, budgets, one command at a time per vehicle, outcome log — recorded
/// as a `manual` decision with who asked (docs/console.md "Manual commands"). Exit 0
/// queued; 1 unknown vehicle, or the store or configuration cannot be read; 64 usage (flags, a malformed action, `doors: unlock`
/// without `--allow-unlock`).
package enum ManualSend {
    package static func run(_ options: SendOptions, now: Date = Date()) async -> CommandOutput {
        func usage(_ message: String) -> CommandOutput {
            CommandOutput(stderr: "error: \(message)\nusage: see `vigie send --help`\n", exitCode: 64)
        }
        switch (options.databasePath, options.configPath) {
        case (nil, nil): return usage("give --db FILE or --config FILE")
        case (.some, .some): return usage("give --db FILE or --config FILE, not both")
        default: break
        }
        let vin = options.vin
        guard !vin.isEmpty, vin.allSatisfy({ $0.isLetter || $0.isNumber }) else {
            return usage("a VIN is letters and digits, not \"\(vin)\"")
        }
        guard let zone = ZoneClock(identifier: options.timeZone) else {
            return usage("--timezone takes an IANA zone name (e.g. Europe/Paris), not \"\(options.timeZone)\"")
        }
        let (parsed, errors) = ManualAction.parse(options.action, allowUnlock: options.allowUnlock,
                                                  optIn: .flag("--allow-unlock"))
        guard let action = parsed else {
            return CommandOutput(stderr: ManualAction.render(errors, text: options.action)
                                 + "usage: see `vigie send --help`\n", exitCode: 64)
        }
        let target = ControlOptions(databasePath: options.databasePath, configPath: options.configPath,
                                   environment: options.environment)
        return await ControlPanel.withDatabase(target) { database in
            let request = action.request(vin: vin, requestedBy: options.requestedBy, via: "cli", at: now, timeZone: zone)
            let record: ManualCommandRecord
            do {
                record = try await database.enqueueManualCommand(request, at: now)
            } catch let error as ManualCommandError {
                return CommandOutput(stderr: "error: \(error)\nnote: a vigie serve knows a vehicle once it has "
                                     + "observed it or decided for it (check the VIN)\n", exitCode: 1)
            }
            var stderr = ""
            for hold in try await database.activeHolds() where hold.kind != .loop
                && (hold.vin == nil || hold.vin == vin) && (hold.bundle == nil || hold.bundle == ManualCommandRecord.bundle) {
                stderr += "note: \(hold.kind == .config ? "safety.paused is set" : "paused: \(hold.scopeDescription)"); "
                    + "the command waits until it is lifted\n"
            }
            let stdout = "queued: \(action.text) for \(vin) (decision \(record.firingId), asked by \(record.requestedBy))\n"
                + "a running vigie serve sends it; follow it with `vigie log --vin \(vin) --bundle manual`\n"
            return CommandOutput(stdout: stdout, stderr: stderr, exitCode: 0)
        }
    }
}
