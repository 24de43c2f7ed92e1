import ArgumentParser
import Foundation
import VigieKit

extension CommandOutput {
    /// Writes the output to standard output and standard error, then ends the command with
    /// its exit code (nothing thrown for 0).
    func emit() throws {
        FileHandle.standardOutput.write(Data(stdout.utf8))
        FileHandle.standardError.write(Data(stderr.utf8))
        if exitCode != 0 { throw ExitCode(exitCode) }
    }
}
