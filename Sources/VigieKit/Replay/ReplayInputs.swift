import Foundation
import RuleEngine
import RuleLanguage
import VehicleData

/// Loads what a replay needs: rule files (checked), the inventory, the events file and
/// `--until`. Failures carry their message and exit code (1: bad input, 64: usage).
package enum ReplayInputs {
    package struct Loaded {
        package var bundles: [CheckedBundle]
        package var inventory: Inventory?
        package var events: [ReplayEvent]
        package var until: Millis?
        /// Rule-file warnings, decode warnings, selector warnings (for stderr).
        package var warnings: String
    }

    package struct Failure: Error {
        package var message: String
        package var exitCode: Int32
    }

    package static func load(paths: [String], eventsPath: String, inventoryPath: String?, until: String?,
                            in directory: URL) -> Result<Loaded, Failure> {
        let rules: Rules
        switch loadRules(paths: paths, inventoryPath: inventoryPath, in: directory) {
        case .failure(let f): return .failure(f)
        case .success(let r): rules = r
        }
        var warnings = rules.warnings
        let bundles = rules.bundles, inventory = rules.inventory
        guard let data = FileManager.default.contents(atPath: resolve(eventsPath, in: directory).path) else {
            return .failure(Failure(message: "error: cannot read events file \(eventsPath)\n", exitCode: 64))
        }
        let parsed = ReplayEvents.parse(String(decoding: data, as: UTF8.self))
        if !parsed.errors.isEmpty {
            let text = parsed.errors.map { "\(eventsPath):\($0.line): error: \($0.message)\n" }.joined()
            return .failure(Failure(message: text, exitCode: 1))
        }
        var seen = Set<[String]>()   // a warning once per field and value, wherever it was
        for event in parsed.events {
            for w in event.warnings where seen.insert([w.field, w.value]).inserted {
                warnings += "\(eventsPath):\(event.line): warning: \(w.field) = \(w.value): \(w.message)\n"
            }
        }
        var untilMillis: Millis?
        if let until {
            guard let t = RFC3339.parse(until) else {
                return .failure(Failure(message: "error: --until \(until): not an RFC 3339 timestamp\n", exitCode: 64))
            }
            if let last = parsed.events.last?.at, t < last {
                return .failure(Failure(message: "error: --until \(until) is before the last event (\(RFC3339.formatUTC(last)))\n",
                                        exitCode: 64))
            }
            untilMillis = t
        }
        return .success(Loaded(bundles: bundles, inventory: inventory, events: parsed.events, until: untilMillis,
                               warnings: warnings))
    }

    /// What a replay runs: checked bundles, the inventory, and their warnings.
    package struct Rules {
        package var bundles: [CheckedBundle]
        package var inventory: Inventory?
        package var warnings: String
    }

    /// Reads and checks the rule files and the inventory (the events are read apart).
    package static func loadRules(paths: [String], inventoryPath: String?, in directory: URL) -> Result<Rules, Failure> {
        var warnings = ""
        let bundles: [CheckedBundle]
        switch loadBundles(paths, in: directory) {
        case .failure(let f): return .failure(f)
        case .success(let (b, w)): bundles = b; warnings += w
        }
        var inventory: Inventory?
        if let inventoryPath {
            let url = resolve(inventoryPath, in: directory)
            guard FileManager.default.fileExists(atPath: url.path) else {   // as a missing events file, and as compile
                return .failure(Failure(message: "error: no such inventory file: \(inventoryPath)\n", exitCode: 64))
            }
            do { inventory = try ReplayInventory.load(path: url.path) } catch {
                return .failure(Failure(message: "error: inventory \(error)\n", exitCode: 1))
            }
        }
        if inventory == nil, bundles.contains(where: \.vehicles.usesTags) {
            warnings += "warning: `tag` selectors match no vehicle without --inventory\n"
        }
        return .success(Rules(bundles: bundles, inventory: inventory, warnings: warnings))
    }

    /// Reads and checks rule files; errors are rendered like `vigie validate` (exit 1).
    package static func loadBundles(_ paths: [String], in directory: URL) -> Result<([CheckedBundle], String), Failure> {
        let files: [SourceFile], invalid: [String]
        do {
            (files, invalid) = try ValidateInputs.read(ValidateInputs.collect(paths, in: directory), in: directory)
        } catch let failure as ValidateInputs.Failure {
            switch failure {
            case .usage(let m): return .failure(Failure(message: "error: \(m)\n", exitCode: 64))
            case .io(let m): return .failure(Failure(message: "error: \(m)\n", exitCode: 1))
            }
        } catch {
            return .failure(Failure(message: "error: \(error)\n", exitCode: 1))
        }
        let report = Validate.report(files: files, notUTF8: invalid, options: ValidateOptions(paths: paths, maxDiagnostics: 0))
        if report.summary.errors > 0 {
            return .failure(Failure(message: TextDiagnosticRenderer().render(report), exitCode: 1))
        }
        var warnings = ""
        for d in report.diagnostics {
            warnings += TextDiagnosticRenderer().render(d, lines: SourceExcerpt.lines(of: report.sources[d.range.file] ?? ""))
        }
        return .success((RuleValidator.validate(files).bundles, warnings))
    }

    static func resolve(_ path: String, in directory: URL) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
    }
}
