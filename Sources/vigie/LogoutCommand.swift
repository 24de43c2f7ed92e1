import ArgumentParser
import Foundation
import VigieKit

/// `vigie logout --config FILE`: runs `Login.logout` (docs/login.md).
struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "End the B2C session: revoke the refresh token and delete the token store.",
        discussion: """
            Revokes the refresh token (then the access token) at the brand's revocation endpoint; \
            a failure there is a warning, the token store is deleted anyway. Exit status: 0 ok \
            (also without a session), 1 error, 64 usage error.
            """
    )

    @Option(help: "The configuration file (vigie.yaml).")
    var config: String

    func run() async throws {
        let code = await Login.logout(LoginOptions(configPath: config))
        if code != 0 { throw ExitCode(code) }
    }
}
