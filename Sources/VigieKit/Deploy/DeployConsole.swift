import Foundation

/// Where `vigie plan` / `vigie apply` write and read: standard streams by default;
/// tests pass their own.
package struct DeployConsole: Sendable {
    package var out: @Sendable (String) -> Void
    package var err: @Sendable (String) -> Void
    /// One line typed by the user (the apply confirmation), nil at end of input.
    package var readLine: @Sendable () -> String?
    /// Whether a person is at a terminal (prompt, progress bar) or not (plain lines).
    package var isTerminal: Bool

    package init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void,
                readLine: @escaping @Sendable () -> String? = { nil }, isTerminal: Bool = false) {
        self.out = out
        self.err = err
        self.readLine = readLine
        self.isTerminal = isTerminal
    }

    /// The process's standard streams; a terminal when both stdin and stdout are one.
    package static var standard: DeployConsole {
        DeployConsole(out: { text in FileHandle.standardOutput.write(Data(text.utf8)) },
                      err: { text in FileHandle.standardError.write(Data(text.utf8)) },
                      readLine: { Swift.readLine(strippingNewline: true) },
                      isTerminal: isatty(STDIN_FILENO) != 0 && isatty(STDOUT_FILENO) != 0)
    }
}
