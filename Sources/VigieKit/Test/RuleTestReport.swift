import Foundation
import RuleEngine

/// What `vigie test` prints: each failure with expected vs got, optionally the rules no
/// test made fire, and the closing line `N passed, M failed`; JUnit XML for CI.
package enum RuleTestReport {
    package static func run(_ options: RuleTestRunner.Options,
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

    package static func text(_ summary: RuleTestRunner.Summary, coverage: Bool) -> String {
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

    /// The names the runner gives a file it could not load (`(file)`) or whose rules do not
    /// check (`(rule files)`): reported as JUnit `<error>`s, the tests could not run.
    static let loadErrorNames: Set<String> = ["(file)", "(rule files)"]

    /// JUnit XML in the common Jenkins/Ant shape (Tests/tools/junit/junit.xsd): `testsuites`
    /// and one `testsuite` per test file with `tests`, `failures`, `errors` and `time`, one
    /// `testcase` per test, a `failure` (expected vs got) or an `error` (file not loaded).
    /// Always well-formed whatever names and messages hold: markup is escaped, and characters
    /// XML 1.0 cannot carry (C0 controls but tab, LF and CR; U+FFFE, U+FFFF) become U+FFFD.
    package static func junit(_ summary: RuleTestRunner.Summary) -> String {
        var files: [String] = []
        for r in summary.results where !files.contains(r.file) { files.append(r.file) }
        func time(_ seconds: Double) -> String { String(format: "%.3f", max(0, seconds)) }
        let errors = summary.results.filter { !$0.passed && loadErrorNames.contains($0.name) }.count
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"vigie test\" tests=\"\(summary.results.count)\" failures=\"\(summary.failed - errors)\""
            + " errors=\"\(errors)\" time=\"\(time(summary.results.reduce(0) { $0 + $1.seconds }))\">\n"
        for file in files {
            let cases = summary.results.filter { $0.file == file }
            let caseErrors = cases.filter { !$0.passed && loadErrorNames.contains($0.name) }.count
            let caseFailures = cases.filter { !$0.passed }.count - caseErrors
            xml += "  <testsuite name=\"\(xmlText(file))\" tests=\"\(cases.count)\" failures=\"\(caseFailures)\""
                + " errors=\"\(caseErrors)\" time=\"\(time(cases.reduce(0) { $0 + $1.seconds }))\">\n"
            for c in cases {
                xml += "    <testcase classname=\"\(xmlText(file))\" name=\"\(xmlText(c.name))\" time=\"\(time(c.seconds))\""
                if c.passed { xml += "/>\n"; continue }
                let element = loadErrorNames.contains(c.name) ? "error" : "failure"
                let message = c.failures.first?.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
                xml += ">\n      <\(element) message=\"\(xmlText(message))\" type=\"\(element == "error" ? "LoadError" : "AssertionError")\">"
                xml += xmlText(c.failures.joined(separator: "\n"), attribute: false) + "</\(element)>\n    </testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    /// Escapes text for XML 1.0: `&`, `<`, `>`, quotes; in attributes also tab, LF and CR (as
    /// character references, so parsers keep them); characters XML cannot hold become U+FFFD.
    static func xmlText(_ s: String, attribute: Bool = true) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "\t" where attribute: out += "&#9;"
            case "\n" where attribute: out += "&#10;"
            case "\r": out += "&#13;"
            case "\t", "\n": out.unicodeScalars.append(c)
            case _ where c.value < 0x20 || c.value == 0xFFFE || c.value == 0xFFFF: out += "\u{FFFD}"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
