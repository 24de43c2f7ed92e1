import Foundation
import StellantisAPI
import VigieTestSupport
import XCTest

/// The `vigie login` / `vigie logout` executables against the simulator: the interactive
/// paste on standard input, the two-step flow without a terminal, and the exits.
final class LoginBinaryTests: XCTestCase {
    /// Runs the binary off the cooperative pool (the simulator's handlers need it).
    private func vigie(_ args: [String], _ login: LoginTestWorld, stdin: String? = "") async throws -> CommandResult {
        let environment = login.world.environment
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    try CommandRunner.vigie(args, in: login.world.folder, stdin: stdin, environment: environment)
                })
            }
        }
    }

    func testInteractiveSignInStatusAndLogout() async throws {
        let login = try await startLoginWorld()
        let process = Process()
        process.executableURL = CommandRunner.vigieBinary
        process.arguments = ["login", "--config", login.world.configPath]
        process.environment = ProcessInfo.processInfo.environment.merging(login.world.environment) { $1 }
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = try await readUntilURL(output.fileHandleForReading)
        let url = try XCTUnwrap(LoginTestWorld.authorizationURL(in: printed), printed)
        let location = try await login.approve(url)
        input.fileHandleForWriting.write(Data("\n\(location)\n".utf8))
        try input.fileHandleForWriting.close()
        let rest = try await finish(process, output.fileHandleForReading, errors.fileHandleForReading)
        XCTAssertEqual(process.terminationStatus, 0, rest.err)
        XCTAssertTrue(rest.out.contains("Signed in as "), rest.out)
        let tokens = try XCTUnwrap(try FileTokenStore(url: login.tokenStore).load())

        let status = try await vigie(["login", "--status", "--config", "vigie.yaml"], login)
        XCTAssertEqual(status.exitCode, 0, status.stderr)
        XCTAssertTrue(status.stdout.contains("Refresh token: present"), status.stdout)
        let logout = try await vigie(["logout", "--config", "vigie.yaml"], login)
        XCTAssertEqual(logout.exitCode, 0, logout.stderr)
        let accepted = await login.world.core.acceptsRefreshToken(tokens.refreshToken)
        XCTAssertFalse(accepted)
        let none = try await vigie(["login", "--status", "--config", "vigie.yaml"], login)
        XCTAssertEqual(none.exitCode, 1)
        for text in [printed, rest.out, rest.err, status.stdout, status.stderr, logout.stdout, logout.stderr] {
            for secret in [tokens.accessToken, tokens.refreshToken, login.world.config.clientSecret] {
                XCTAssertFalse(text.contains(secret), "a secret was printed")
            }
            XCTAssertFalse(text.contains(try XCTUnwrap(URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value)))
        }
    }

    func testClosedStandardInputThenRedirectURLFlag() async throws {
        let login = try await startLoginWorld()
        let started = try await vigie(["login", "--config", "vigie.yaml"], login, stdin: nil)
        XCTAssertEqual(started.exitCode, 1, "standard input closed: no hang, exit 1")
        XCTAssertTrue(started.stderr.contains("standard input ended"), started.stderr)
        let location = try await login.approve(try XCTUnwrap(LoginTestWorld.authorizationURL(in: started.stdout)))
        let finished = try await vigie(["login", "--config", "vigie.yaml", "--no-input", "--redirect-url", location], login)
        XCTAssertEqual(finished.exitCode, 0, finished.stderr)
        let mode = try FileManager.default.attributesOfItem(atPath: login.tokenStore.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        XCTAssertFalse(finished.stdout.contains(location))
    }

    func testUsageErrorsAndB2B() async throws {
        let login = try await startLoginWorld()
        let noInput = try await vigie(["login", "--config", "vigie.yaml", "--no-input"], login)
        XCTAssertEqual(noInput.exitCode, 64)
        XCTAssertTrue(noInput.stderr.contains("--no-input needs --code or --redirect-url"), noInput.stderr)
        let noConfig = try await vigie(["login"], login)
        XCTAssertEqual(noConfig.exitCode, 64, "ArgumentParser: --config is required")
        try login.world.writeConfig(kind: "b2b")
        for args in [["login", "--config", "vigie.yaml"], ["logout", "--config", "vigie.yaml"],
                     ["login", "--status", "--config", "vigie.yaml"]] {
            let b2b = try await vigie(args, login)
            XCTAssertEqual(b2b.exitCode, 1, args.joined(separator: " "))
            XCTAssertTrue(b2b.stderr.contains("is for B2C configurations"), b2b.stderr)
        }
    }

    /// Reads `handle` until the authorization URL and the prompt after it have arrived (10 s at most).
    private func readUntilURL(_ handle: FileHandle) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                var text = ""
                let deadline = Date().addingTimeInterval(10)
                while Date() < deadline, !text.contains("Paste that whole address here:") {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    text += String(decoding: chunk, as: UTF8.self)
                }
                continuation.resume(returning: text)
            }
        }
    }

    private func finish(_ process: Process, _ out: FileHandle, _ err: FileHandle) async throws -> (out: String, err: String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let o = out.readDataToEndOfFile(), e = err.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: (String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self)))
            }
        }
    }
}
