import ArgumentParser
import Foundation
import VigieKit

/// `vigie backup --db FILE --to FILE`: an online, consistent copy of the database
/// (docs/production.md). Maps flags and calls `Backup.run`.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database consistently, even while vigie serve is running.",
        discussion: """
            Uses SQLite's online backup API: the copy is a snapshot of the committed \
            transactions when it starts, and vigie serve keeps receiving and writing meanwhile. \
            The copy is one self-contained file (no -wal beside it), checked with PRAGMA \
            integrity_check before it is moved into place. Restore by stopping vigie serve and \
            putting the copy in place of the database file (removing its -wal and -shm files). \
            Exit status: 0 copied and checked, 1 the database cannot be read or the copy failed \
            its check, 64 usage error (such as an existing --to without --force).
            """
    )

    @Option(help: "The database to copy (the `database:` of vigie.yaml).") var db: String?
    @Option(help: "The vigie.yaml whose `database:` to copy (a PostgreSQL `store:` is pg_dump's job).") var config: String?
    @Option(help: "The file to write the copy to.") var to: String
    @Flag(help: "Replace --to if it exists.") var force = false

    func run() throws {
        do {
            let db: String
            switch (self.db, config) {
            case (let path?, nil): db = path
            case (nil, let path?): db = try Backup.database(configPath: path)
            default: throw Backup.Failure.usage("give exactly one of --db FILE and --config FILE")
            }
            let report = try Backup.run(database: db, to: to, overwrite: force)
            let rows = report.rows.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            print("backed up \(db) to \(to): \(report.pages) pages, \(report.bytes) bytes, integrity ok (\(rows)) "
                + "in \(String(format: "%.2f", report.seconds)) s")
        } catch let failure as Backup.Failure {
            FileHandle.standardError.write(Data("error: \(failure)\n".utf8))
            if case .usage = failure { throw ExitCode(64) }
            throw ExitCode(1)
        }
    }
}
