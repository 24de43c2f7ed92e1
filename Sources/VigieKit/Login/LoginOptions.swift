import Foundation

/// The options of `vigie login` and `vigie logout` (docs/login.md).
package struct LoginOptions: Sendable {
    package var configPath: String
    /// The authorization code, bare (finishes the sign-in a previous `vigie login` started).
    package var code: String?
    /// The whole redirect URL the brand's site sent the browser to (its `state` is checked).
    package var redirectURL: String?
    /// Never read standard input (then `code` or `redirectURL` is required).
    package var noInput: Bool
    /// `--status`: report the session instead of signing in.
    package var status: Bool
    package var environment: [String: String]

    package init(configPath: String, code: String? = nil, redirectURL: String? = nil, noInput: Bool = false,
                status: Bool = false, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.configPath = configPath
        self.code = code
        self.redirectURL = redirectURL
        self.noInput = noInput
        self.status = status
        self.environment = environment
    }
}

/// Where `vigie login` writes and what it reads: standard streams by default; tests pass
/// their own (`readLine` is async so that a test can follow the printed URL meanwhile).
package struct LoginConsole: Sendable {
    package var out: @Sendable (String) -> Void
    package var err: @Sendable (String) -> Void
    /// One line of standard input, nil at its end.
    package var readLine: @Sendable () async -> String?

    package init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void,
                readLine: @escaping @Sendable () async -> String? = { nil }) {
        self.out = out
        self.err = err
        self.readLine = readLine
    }

    package static var standard: LoginConsole {
        LoginConsole(out: { text in FileHandle.standardOutput.write(Data(text.utf8)) },
                     err: { text in FileHandle.standardError.write(Data(text.utf8)) },
                     readLine: { Swift.readLine(strippingNewline: true) })
    }
}
