/// What a command prints and how it exits: the value the library's commands return
/// (`Validate`, `Compile`, `ReplayDryRun`, `LogReport`, …) and `vigie` writes out.
package struct CommandOutput: Sendable, Equatable {
    package var stdout: String
    package var stderr: String
    package var exitCode: Int32
    package init(stdout: String = "", stderr: String = "", exitCode: Int32) {
        self.stdout = stdout
        self.stderr = stderr
        self.exitCode = exitCode
    }
}
