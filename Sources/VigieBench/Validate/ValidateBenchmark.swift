import Foundation
import RuleLanguage
import VigieKit
import Yams

/// `vigie bench validate`: generates a deployment of `rules` rules in `files` files in
/// a temporary folder, validates it as `vigie validate` does (read, load, check,
/// render), and times libyaml alone (`Yams.compose`) on the same texts.
package struct ValidateBenchmark: Sendable {
    package var rules: Int
    package var files: Int
    package var iterations: Int

    package init(rules: Int = 10_000, files: Int = 10, iterations: Int = 5) {
        self.rules = rules
        self.files = files
        self.iterations = iterations
    }

    package struct Figures: Sendable {
        package var rules: Int
        package var files: Int
        package var bytes: Int
        /// Best of the iterations, in seconds.
        package var validateSeconds: Double
        package var parseSeconds: Double
        package var diagnostics: Int
        /// Rules that checked without error (all of them, for a sound benchmark).
        package var checkedRules: Int
        package var iterations: Int
        package var rulesPerSecond: Double { Double(rules) / validateSeconds }
        package var ratio: Double { validateSeconds / parseSeconds }
    }

    package func run() throws -> Figures {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let texts = ValidateBenchmarkCorpus.files(rules: rules, files: files)
        for (i, text) in texts.enumerated() {
            try text.write(to: folder.appendingPathComponent(String(format: "bundle-%02d.yaml", i)),
                           atomically: true, encoding: .utf8)
        }
        var validate = Double.infinity, parse = Double.infinity, diagnostics = 0, checked = 0
        for _ in 0..<max(iterations, 1) {
            var start = DispatchTime.now()
            let report = Validate.report(
                files: try ValidateInputs.read(try ValidateInputs.collect(["."], in: folder), in: folder).files,
                options: ValidateOptions(paths: ["."], maxDiagnostics: 0))
            _ = TextDiagnosticRenderer().render(report)
            validate = min(validate, Self.seconds(since: start))
            diagnostics = report.summary.errors + report.summary.warnings
            checked = report.summary.rules

            start = DispatchTime.now()
            for path in try ValidateInputs.collect(["."], in: folder) {
                let text = try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
                _ = try Yams.compose(yaml: text)
            }
            parse = min(parse, Self.seconds(since: start))
        }
        return Figures(rules: rules, files: files, bytes: texts.reduce(0) { $0 + $1.utf8.count },
                       validateSeconds: validate, parseSeconds: parse, diagnostics: diagnostics,
                       checkedRules: checked, iterations: max(iterations, 1))
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}

extension ValidateBenchmark.Figures {
    /// The figures as printed by `vigie bench validate`.
    package var text: String {
        func f(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }
        return """
            validate: \(rules) rules in \(files) files (\(f(Double(bytes) / 1_048_576, 2)) MiB); \(checkedRules) rules checked, \(diagnostics) diagnostics
            full validation (read, load, check, render): \(f(validateSeconds)) s, \(Int(rulesPerSecond.rounded())) rules/s
            libyaml alone (Yams.compose on the same texts): \(f(parseSeconds)) s
            ratio: \(f(ratio, 2))x (target: within 3x; best of \(iterations) runs)

            """
    }
}
