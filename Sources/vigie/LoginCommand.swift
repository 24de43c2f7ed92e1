import ArgumentParser
import Foundation
import VigieKit

/// `vigie login --config FILE`: maps flags to `LoginOptions` and runs `Login.login` (docs/login.md).
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Sign in to the B2C API (OAuth2 authorization code with PKCE) and keep the session's tokens.",
        discussion: """
            Prints the brand's authorization URL; open it, sign in, then paste the address the \
            browser was sent to (or just its code). Vigie checks its state, exchanges the code and \
            saves the tokens in api.token_store (mode 0600). Without a terminal: run `vigie login` \
            once to get the URL, then `vigie login --redirect-url URL` (or --code) within the hour. \
            --status reports the session without changing it. Only for api.kind b2c (B2B needs no \
            session). Exit status: 0 ok, 1 error (or no session for --status), 64 usage error.
            """
    )

    @Option(help: "The configuration file (vigie.yaml).")
    var config: String

    @Option(help: "The authorization code of the sign-in a previous `vigie login` started.")
    var code: String?

    @Option(help: "The whole redirect URL (with code and state) of the sign-in a previous `vigie login` started.")
    var redirectUrl: String?

    @Flag(help: "Never read standard input (needs --code or --redirect-url).")
    var noInput = false

    @Flag(help: "Show whether a session exists and when its access token expires (exit 1 without one).")
    var status = false

    func run() async throws {
        let options = LoginOptions(configPath: config, code: code, redirectURL: redirectUrl, noInput: noInput, status: status)
        let code = await Login.login(options)
        if code != 0 { throw ExitCode(code) }
    }
}
