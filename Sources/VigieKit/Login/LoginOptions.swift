import Foundation

/// The options of `vigie login` and `vigie logout` (docs/login.md).
public struct LoginOptions: Sendable {
    public var configPath: String
    /// The authorization code, bare (finishes the sign-in a previous `vigie login` started).
    public var code: String?
    /// The whole redirect URL the brand's site sent the browser to (its `state` is checked).
    public var redirectURL: String?
    /// Never read standard input (then `code` or `redirectURL` is required).
    public var noInput: Bool
    /// `--status`: report the session instead of signing in.
    public var status: Bool
    public var environment: [String: String]

    public init(configPath: String, code: String? = nil, redirectURL: String? = nil, noInput: Bool = false,
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
public struct LoginConsole: Sendable {
    public var out: @Sendable (String) -> Void
    public var err: @Sendable (String) -> Void
    /// One line of standard input, nil at its end.
    public var readLine: @Sendable () async -> String?

    public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void,
                readLine: @escaping @Sendable () async -> String? = { nil }) {
        self.out = out
        self.err = err
        self.readLine = readLine
    }

    public static var standard: LoginConsole {
        LoginConsole(out: { text in FileHandle.standardOutput.write(Data(text.utf8)) },
                     err: { text in FileHandle.standardError.write(Data(text.utf8)) },
                     readLine: { Swift.readLine(strippingNewline: true) })
    }
}
