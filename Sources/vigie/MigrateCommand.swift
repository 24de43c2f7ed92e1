import ArgumentParser
import Foundation
import Logging
import VigieKit

/// `vigie migrate --from FILE --to URL`: copies a SQLite deployment to PostgreSQL
/// (docs/cluster.md). Maps flags and calls `Migrate.run`.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy a SQLite deployment into an empty PostgreSQL database.",
        discussion: """
            Stop vigie serve first (the file's writer lock is taken; a running serve makes \
            migrate fail before anything is read). Everything is copied in one transaction, \
            ids kept; the PostgreSQL database must be empty (it is migrated to the current \
            schema first). On success the SQLite file is marked as moved and vigie serve \
            refuses it: configure store: {postgres: {url: ...}} instead. The URL may hold a \
            password: prefer --to-env NAME, which reads it from the environment. \
            Exit status: 0 copied, 1 the copy failed (nothing written), 64 usage error.
            """
    )

    @Option(help: "The SQLite database to copy (the `database:` of vigie.yaml).") var from: String
    @Option(help: "The PostgreSQL URL (postgres://USER[:PASSWORD]@HOST:PORT/DATABASE?sslmode=…).") var to: String?
    @Option(name: .customLong("to-env"), help: "The environment variable holding the PostgreSQL URL.") var toEnv: String?

    func run() async throws {
        let url: String
        switch (to, toEnv) {
        case (let given?, nil): url = given
        case (nil, let name?):
            guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
                FileHandle.standardError.write(Data("error: --to-env: the environment variable \(name) is not set or empty\n".utf8))
                throw ExitCode(64)
            }
            url = value
        default:
            FileHandle.standardError.write(Data("error: give exactly one of --to URL and --to-env NAME\n".utf8))
            throw ExitCode(64)
        }
        var logger = Logger(label: "vigie.migrate")
        logger.logLevel = .critical
        do {
            let report = try await Migrate.run(from: from, to: url, logger: logger)
            let rows = report.rows.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            print("migrated \(from) to \(report.target): \(rows) in \(String(format: "%.2f", report.seconds)) s")
            print("\(from) is marked as moved: configure store: {postgres: {url: ...}} and start vigie serve")
        } catch let failure as Migrate.Failure {
            FileHandle.standardError.write(Data("error: \(failure)\n".utf8))
            if case .usage = failure { throw ExitCode(64) }
            throw ExitCode(1)
        }
    }
}
