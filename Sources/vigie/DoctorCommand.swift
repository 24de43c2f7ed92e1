import ArgumentParser
import Foundation
import VigieKit

/// `vigie doctor --config FILE`: checks what `vigie serve` needs, one line per check
/// (docs/production.md, "Doctor"). Maps flags and calls `Doctor.run`.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the configuration, session, API, callback, monitors, clock, disk and database.",
        discussion: """
            One line per check: ok, warn, fail or skip, its name and what it found. The checks: \
            configuration, rules, token store, session (a refresh of the B2C tokens, saved to \
            the token store), api (reachable, vehicles visible), rate limit (headroom), callback \
            (registered, sending to callback.public_url), monitors (deployed as `vigie plan` \
            wants), clock (skew against the API's Date header), disk (free space), database \
            (PRAGMA integrity_check) and wal (its size). Secrets are never printed. Exit status: \
            0 no check failed, 1 a check failed, 64 usage error.
            """
    )

    @Option(help: "The configuration file (vigie.yaml).") var config: String
    @Flag(inversion: .prefixedNo, help: "Refresh the B2C session to prove it works (rotates the tokens).")
    var refresh = true

    func run() async throws {
        guard FileManager.default.fileExists(atPath: config) else {
            FileHandle.standardError.write(Data("error: no such configuration file: \(config)\n".utf8))
            throw ExitCode(64)
        }
        let status = await Doctor.run(Doctor.Options(configPath: config, refresh: refresh)) { check in
            print(check.line)
            fflush(nil)
        }
        if status != 0 { throw ExitCode(status) }
    }
}
