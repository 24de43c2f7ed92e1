import Foundation
import Synchronization
import VigieTestSupport
import XCTest

/// Tests/tools/smtp/server.py (Python's aiosmtpd on 127.0.0.1) run for one test, with a
/// self-signed certificate for `localhost` made by openssl in the test's folder. Its
/// stdout lines (JSON) are read on a thread; `nextRecord` waits for the next one.
/// Missing python3, aiosmtpd or openssl fails the test with a message (never a skip):
/// `.ci/run` installs them.
final class SMTPTestServer: Sendable {
    enum Mode: String { case starttls, implicit }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let user = "vigie-mailer"
    static let password = "smtp-Pa55word-not-in-logs"

    let port: Int
    let certificatePath: String
    private let process: Process
    private let input: Pipe
    private let lines = LineQueue()

    init(mode: Mode, folder: TemporaryFolder) throws {
        let cert = folder.path("cert.pem"), key = folder.path("key.pem")
        let openssl = try CommandRunner.run(URL(fileURLWithPath: "/usr/bin/env"), [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ], in: folder.url)
        guard openssl.exitCode == 0 else {
            throw Failure(description: "openssl could not make a test certificate (is openssl installed? .ci/run "
                + "installs it): \(openssl.stderr)")
        }
        certificatePath = cert
        let script = SharedFiles.repositoryRoot.appendingPathComponent("Tests/tools/smtp/server.py").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-W", "ignore", script, "--mode", mode.rawValue, "--cert", cert, "--key", key,
                             "--user", Self.user, "--password", Self.password]
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let handle = output.fileHandleForReading
        let lines = self.lines
        Thread.detachNewThread {
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    let line = String(decoding: pending[pending.startIndex ..< newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex ... newline)
                    lines.push(line)
                }
            }
            lines.close()
        }
        let ready = try Self.nextObject(lines, timeout: 20)
        if let error = ready["error"] as? String { throw Failure(description: "the SMTP test server: \(error)") }
        guard let port = ready["ready"] as? Int else {
            throw Failure(description: "the SMTP test server did not start (python3 and aiosmtpd installed? "
                + "`python3 -m pip install aiosmtpd`; .ci/run installs it)")
        }
        self.port = port
    }

    /// The next message the server accepted, as server.py describes it.
    func nextRecord(timeout: Double = 20) throws -> [String: Any] {
        try Self.nextObject(lines, timeout: timeout)
    }

    private static func nextObject(_ lines: LineQueue, timeout: Double) throws -> [String: Any] {
        guard let line = lines.pop(timeout: timeout) else {
            throw Failure(description: "no answer from the SMTP test server within \(Int(timeout)) s")
        }
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw Failure(description: "the SMTP test server printed `\(line)`")
        }
        return object
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

/// Lines handed from the reading thread to the test: `pop` waits (up to a time-out) for the
/// next one; nil once closed and empty, or on time-out.
final class LineQueue: Sendable {
    private let lines = Mutex<[String]>([])
    private let arrived = DispatchSemaphore(value: 0)

    func push(_ line: String) {
        lines.withLock { $0.append(line) }
        arrived.signal()
    }

    /// Wakes a waiting `pop` when the stream ends.
    func close() { arrived.signal() }

    func pop(timeout: Double) -> String? {
        guard arrived.wait(timeout: .now() + timeout) == .success else { return nil }
        return lines.withLock { $0.isEmpty ? nil : $0.removeFirst() }
    }
}
