import Foundation
import MonitorCompiler
import RuleEngine
import RuleLanguage

/// The options of `vigie compile`.
package struct CompileCommandOptions: Sendable {
    package enum Format: String, Sendable, CaseIterable { case json, text }
    package var paths: [String]
    package var api: MonitorAPI
    package var inventoryPath: String?
    package var vins: [String]
    package var fleet: String?
    package var callbackURL: String
    package var format: Format
    /// Placeholder webhook for B2B fleet monitors (the schema requires one).
    package static let defaultCallbackURL = CompileOptions().callbackURL

    package init(paths: [String], api: MonitorAPI = .b2c, inventoryPath: String? = nil, vins: [String] = [],
                fleet: String? = nil, callbackURL: String = CompileCommandOptions.defaultCallbackURL, format: Format = .json) {
        self.paths = paths
        self.api = api
        self.inventoryPath = inventoryPath
        self.vins = vins
        self.fleet = fleet
        self.callbackURL = callbackURL
        self.format = format
    }
}

/// `vigie compile PATH…`: validate, decide which bundles each vehicle carries, compile
/// and render. Exit 0; 1 on rule errors (rendered like `validate`), an unreadable file or
/// a bad inventory; 64 on a usage error.
package enum Compile {
    package static func run(_ options: CompileCommandOptions,
                           in directory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> CommandOutput {
        let files: [SourceFile], invalid: [String]
        do {
            (files, invalid) = try ValidateInputs.read(ValidateInputs.collect(options.paths, in: directory), in: directory)
        } catch let failure as ValidateInputs.Failure {
            switch failure {
            case .usage(let message): return CommandOutput(stderr: "error: \(message)\n", exitCode: Validate.usageExit)
            case .io(let message): return CommandOutput(stderr: "error: \(message)\n", exitCode: 1)
            }
        } catch {
            return CommandOutput(stderr: "error: \(error)\n", exitCode: 1)
        }
        var inventory: Inventory? = nil
        if let path = options.inventoryPath {
            let url = ValidateInputs.resolve(path, in: directory)
            guard FileManager.default.fileExists(atPath: url.path) else {
                return CommandOutput(stderr: "error: no such inventory file: \(path)\n", exitCode: Validate.usageExit)
            }
            do { inventory = try ReplayInventory.load(path: url.path) } catch {
                return CommandOutput(stderr: "error: inventory \(error)\n", exitCode: 1)
            }
        }
        let report = Validate.report(files: files, notUTF8: invalid, options: ValidateOptions(paths: options.paths))
        var stderr = report.diagnostics.isEmpty ? "" : DiagnosticFormat.text.render(report)
        if report.exitCode != 0 { return CommandOutput(stderr: stderr, exitCode: 1) }
        let bundles = RuleValidator.validate(files).bundles
        let (targets, warnings) = CompileTargets.make(bundles, api: options.api, inventory: inventory,
                                                      vins: options.vins, fleet: options.fleet)
        stderr += warnings.map { "warning: \($0)\n" }.joined()
        let compiled = MonitorCompiler.compile(targets, options: CompileOptions(api: options.api,
                                                                                callbackURL: options.callbackURL))
        // JSON is the artefact (each body exactly as POSTed, DESIGN.md); the text view is for
        // eyes and logs, so it never shows a secret of the callback URL.
        let stdout = options.format == .json ? CompilationReport.json(compiled)
                                             : CompilationReport.text(CompileRedaction.redact(compiled))
        return CommandOutput(stdout: stdout, stderr: stderr, exitCode: 0)
    }
}
