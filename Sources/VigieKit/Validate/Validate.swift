import Foundation
import RuleLanguage

/// `vigie validate PATH…`: load and check rule files, render the diagnostics.
/// Exit 0 when no error remains (warnings allowed unless `strict`), 1 on errors
/// or an unreadable input, 64 on a usage error (no path, a path that does not exist,
/// a negative `--max-diagnostics`).
package enum Validate {
    package static let usageExit: Int32 = 64

    package static func run(_ options: ValidateOptions,
                           in directory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> CommandOutput {
        guard options.maxDiagnostics >= 0 else {
            return CommandOutput(stderr: "error: --max-diagnostics must be 0 (no limit) or more\n", exitCode: usageExit)
        }
        var options = options
        if let configPath = options.configPath {
            switch ValidateChannels.read(configPath, in: directory) {
            case .success(let names): options.channels = names
            case .failure(let failure): return CommandOutput(stderr: "error: \(failure.message)\n", exitCode: failure.exitCode)
            }
        }
        let files: [SourceFile], invalid: [String]
        do {
            (files, invalid) = try ValidateInputs.read(ValidateInputs.collect(options.paths, in: directory), in: directory)
        } catch let failure as ValidateInputs.Failure {
            switch failure {
            case .usage(let message): return CommandOutput(stderr: "error: \(message)\n", exitCode: usageExit)
            case .io(let message): return CommandOutput(stderr: "error: \(message)\n", exitCode: 1)
            }
        } catch {
            return CommandOutput(stderr: "error: \(error)\n", exitCode: 1)
        }
        var positions: [String: SourceLocation] = [:]
        for path in invalid {
            if let data = FileManager.default.contents(atPath: ValidateInputs.resolve(path, in: directory).path) {
                positions[path] = firstInvalidUTF8(in: data)
            }
        }
        let report = self.report(files: files, notUTF8: invalid, notUTF8At: positions, options: options)
        return CommandOutput(stdout: options.format.render(report), exitCode: report.exitCode)
    }

    /// Line and column (in Unicode scalars) of the first byte that is not UTF-8.
    static func firstInvalidUTF8(in data: Data) -> SourceLocation {
        var line = 1, column = 1
        var iterator = data.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput, .error:
                return SourceLocation(line: line, column: column)
            }
        }
    }

    /// Validates the files and builds the report (sorted, `--strict` applied, capped).
    /// `notUTF8At` places each unreadable file's diagnostic at its first invalid byte (else 1:1).
    package static func report(files: [SourceFile], notUTF8: [String] = [], notUTF8At: [String: SourceLocation] = [:],
                              options: ValidateOptions) -> DiagnosticReport {
        var result = RuleValidator.validate(files)
        if let channels = options.channels { ChannelCheck.apply(to: &result, channels: channels, fileOrder: files.map(\.path)) }
        for path in notUTF8 {
            let at = notUTF8At[path] ?? SourceLocation(line: 1, column: 1)
            result.diagnostics.append(Diagnostic(
                severity: .error, code: "yaml-syntax", message: "the file is not valid UTF-8 text",
                range: SourceRange(file: path, start: at, end: at)))
        }
        let order = files + notUTF8.map { SourceFile(path: $0, text: "") }
        return DiagnosticReport(result: result, files: order, strict: options.strict,
                                maxDiagnostics: options.maxDiagnostics == 0 ? nil : options.maxDiagnostics)
    }
}

/// The output formats of `vigie validate --format` (re-exported for the command).
package typealias ValidateFormat = DiagnosticFormat
