/// What `vigie validate` prints and how it exits.
package struct ValidateOutput: Sendable, Equatable {
    package var stdout: String
    package var stderr: String
    package var exitCode: Int32
    package init(stdout: String = "", stderr: String = "", exitCode: Int32) {
        self.stdout = stdout
        self.stderr = stderr
        self.exitCode = exitCode
    }
}
