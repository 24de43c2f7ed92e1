import Foundation
import RuleLanguage

/// Loads and checks the configuration's rule files for a plan: the checked bundles and
/// the warnings, or `DeployError.rules` with the diagnostics as `vigie validate` renders them.
/// With `channels` (the configuration's notification channels), a channel name a bundle
/// gives that is not among them is an error (`unknown-channel`): serve, plan and apply refuse.
enum DeployRules {
    static func load(_ paths: [String], channels: [String]? = nil) throws -> (bundles: [CheckedBundle], warnings: String) {
        let directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let files: [SourceFile], invalid: [String]
        do {
            (files, invalid) = try ValidateInputs.read(ValidateInputs.collect(paths, in: directory), in: directory)
        } catch let failure as ValidateInputs.Failure {
            throw DeployError.input("rules: \(failure.description)")
        }
        let report = Validate.report(files: files, notUTF8: invalid, options: ValidateOptions(paths: paths, channels: channels))
        let rendered = report.diagnostics.isEmpty ? "" : DiagnosticFormat.text.render(report)
        if report.exitCode != 0 { throw DeployError.rules(rendered) }
        return (RuleValidator.validate(files).bundles, rendered)
    }
}
