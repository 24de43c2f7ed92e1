import Foundation
import Synchronization

/// Runs the built `vigie` binary, as CLI tests must (stdout, stderr, exit code).
package struct CommandResult: Sendable {
    package var exitCode: Int32
    package var stdout: String
    package var stderr: String
}

package enum CommandRunner {
    /// The `vigie` executable next to the test bundle in the build folder.
    package static var vigieBinary: URL {
        // The test bundle lives in .build/<triple>/debug/VigiePackageTests.xctest;
        // the executable sits in the same folder.
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            let candidate = bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("vigie")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        let fallback = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("vigie")
        return fallback
    }

    /// Runs `vigie args…` in `directory` (the repository root by default), feeding
    /// `stdin` if given, and waits for it to exit.
    package static func vigie(_ args: [String], in directory: URL = SharedFiles.repositoryRoot,
                             stdin: String? = nil, environment: [String: String] = [:]) throws -> CommandResult {
        try run(vigieBinary, args, in: directory, stdin: stdin, environment: environment)
    }

    package static func run(_ executable: URL, _ args: [String], in directory: URL,
                           stdin: String? = nil, environment: [String: String] = [:]) throws -> CommandResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = args
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = inPipe
        try process.run()
        if let stdin { inPipe.fileHandleForWriting.write(Data(stdin.utf8)) }
        try inPipe.fileHandleForWriting.close()
        // Read both pipes concurrently so a full pipe never blocks the child.
        let stdoutRead = PipeRead()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            stdoutRead.data.withLock { $0 = outPipe.fileHandleForReading.readDataToEndOfFile() }
            group.leave()
        }
        let errData = errPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let outData = stdoutRead.data.withLock { $0 }
        process.waitUntilExit()
        return CommandResult(exitCode: process.terminationStatus,
                             stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// What the reading thread hands back to `run` (it waits on the group before reading).
private final class PipeRead: Sendable {
    let data = Mutex(Data())
}
