import Foundation
import RuleEngine

/// What `vigie test` prints: each failure with expected vs got, optionally the rules no
/// test made fire, and the closing line `N passed, M failed`; JUnit XML for CI.
public enum RuleTestReport {
    public static func run(_ options: RuleTestRunner.Options,
                           in directory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> CommandOutput {
        guard !options.paths.isEmpty else {
            return CommandOutput(stderr: "error: no test file given\n", exitCode: 64)
        }
        let summary = RuleTestRunner.run(paths: options.paths, in: directory)
        var out = text(summary, coverage: options.coverage)
        var err = ""
        if let junit = options.junitPath {
            let url = junit.hasPrefix("/") ? URL(fileURLWithPath: junit) : directory.appendingPathComponent(junit)
            do {
                // CI passes report paths such as `reports/vigie.xml`: make the folder, as pytest does.
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(self.junit(summary).utf8).write(to: url)
            } catch {
                err += "error: cannot write \(junit): \(error.localizedDescription)\n"
            }
        }
        out += "\(summary.passed) passed, \(summary.failed) failed\n"
        return CommandOutput(stdout: out, stderr: err, exitCode: summary.failed == 0 && err.isEmpty ? 0 : 1)
    }

    public static func text(_ summary: RuleTestRunner.Summary, coverage: Bool) -> String {
        var out = ""
        for r in summary.results where !r.passed {
            out += "FAIL \(r.file): \(r.name)\n"
            for f in r.failures { out += "  " + f.replacingOccurrences(of: "\n", with: "\n  ") + "\n" }
        }
        if coverage {
            let uncovered = summary.uncovered
            out += uncovered.isEmpty ? "coverage: every rule fired in some test\n"
                : "coverage: \(uncovered.count) of \(summary.rules.count) rules never fired in a test:\n"
                    + uncovered.map { "  \($0)\n" }.joined()
        }
        return out
    }

    public static func junit(_ summary: RuleTestRunner.Summary) -> String {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        var files: [String] = []
        for r in summary.results where !files.contains(r.file) { files.append(r.file) }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"vigie test\" tests=\"\(summary.results.count)\" failures=\"\(summary.failed)\">\n"
        for file in files {
            let cases = summary.results.filter { $0.file == file }
            xml += "  <testsuite name=\"\(esc(file))\" tests=\"\(cases.count)\" failures=\"\(cases.filter { !$0.passed }.count)\">\n"
            for c in cases {
                xml += "    <testcase classname=\"\(esc(file))\" name=\"\(esc(c.name))\" time=\"\(String(format: "%.3f", c.seconds))\""
                if c.passed { xml += "/>\n"; continue }
                xml += ">\n      <failure message=\"\(esc(c.failures.first?.split(separator: "\n").first.map(String.init) ?? ""))\">"
                xml += esc(c.failures.joined(separator: "\n")) + "</failure>\n    </testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }
}
