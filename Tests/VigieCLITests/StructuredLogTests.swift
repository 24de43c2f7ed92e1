import Foundation
import Logging
import StellantisAPI
import VehicleData
import VigieKit
import VigieTestSupport
import XCTest

/// Issue 18: `--log-format json|logfmt`. Lines are one record each whatever a value holds,
/// keys sorted (JSON) or fixed then sorted (logfmt), `bundle` derived from the qualified
/// `rule`; and the end-to-end path logs no secret in either format, with the vehicle,
/// bundle, rule and command id as fields of the runtime's lines.
final class StructuredLogTests: XCTestCase {
    private static let at = Date(timeIntervalSince1970: 1_795_000_000.25)

    private func handler(_ format: LogFormat) -> StructuredLogHandler {
        StructuredLogHandler(label: "vigie.serve", format: format, now: { Self.at }) { _ in }
    }

    func testJSONLine() throws {
        let line = handler(.json).render(level: .info, message: "rule fired",
                                         metadata: ["vin": "VF3A", "rule": "ev-charging/low", "actions": "2", "level": "x"])
        XCTAssertEqual(line, #"{"actions":"2","bundle":"ev-charging","level":"info","logger":"vigie.serve","message":"rule fired","#
            + #""meta.level":"x","rule":"ev-charging/low","time":"2026-11-18T11:06:40.250Z","vin":"VF3A"}"#)
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(line.utf8)))
    }

    func testLogfmtLine() {
        let line = handler(.logfmt).render(level: .warning, message: "command failed",
                                           metadata: ["vin": "VF3A", "error": "HTTP 500: \"oops\"", "empty": ""])
        XCTAssertEqual(line, #"time=2026-11-18T11:06:40.250Z level=warning logger=vigie.serve message="command failed" "#
            + #"empty="" error="HTTP 500: \"oops\"" vin=VF3A"#)
    }

    /// A value with line breaks (a notify text, a status field) cannot forge a record.
    func testNoLineBreakGetsThrough() throws {
        let forged = "ok\nlevel=critical message=forged\r\u{2028}{\"level\":\"critical\"}\u{0}"
        for format in [LogFormat.json, .logfmt] {
            let line = handler(format).render(level: .info, message: forged, metadata: ["text": .string(forged),
                                                                                       "list": .array([.string(forged)])])
            XCTAssertFalse(line.contains("\n") || line.contains("\r") || line.contains("\u{2028}") || line.contains("\u{0}"), line)
        }
        let json = handler(.json).render(level: .info, message: forged, metadata: nil)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object["message"] as? String, forged, "JSON keeps the value exactly")
        XCTAssertEqual(object["level"] as? String, "info")
    }

    func testEndToEndLinesCarryTheirFieldsAndNoSecret() async throws {
        for format in [LogFormat.json, .logfmt] {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-logfmt-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let capture = LogCapture()
            var logger = Logger(label: "vigie.serve") {
                StructuredLogHandler(label: $0, format: format) { capture.append(line: $0) }
            }
            logger.logLevel = .debug
            let clock = ManualClock(EndToEnd.start)
            let stack = try await EndToEnd.start(database: folder.appendingPathComponent("e2e.sqlite").path, clock: clock, logger: logger)
            var secrets: [String] = []
            do {
                let tokens = try XCTUnwrap(FileTokenStore(url: URL(fileURLWithPath: XCTUnwrap(stack.config.api.tokenStorePath))).load())
                secrets = [tokens.accessToken, tokens.refreshToken, try XCTUnwrap(stack.config.api.clientSecret).reveal(),
                           stack.config.callback.webhookSecret.reveal()]
                try await EndToEnd.run(clock, stack, seconds: 110 * 60)
                try await EndToEnd.settle(stack, clock: clock)
                _ = try await EndToEnd.post(stack, Data("{}".utf8), secret: secrets[3] + "x")
                logger.debug("configuration", metadata: ["config": "\(stack.config)", "api": "\(stack.config.api)"])
            } catch {
                await stack.stop()
                throw error
            }
            await stack.stop()
            let lines = capture.text.split(separator: "\n").map(String.init)
            XCTAssertGreaterThan(lines.count, 10, "\(format)")
            for secret in secrets {
                XCTAssertFalse(capture.text.contains(secret), "a secret appears in the \(format) logs")
            }
            let fired = lines.filter { $0.contains("rule fired") }
            XCTAssertFalse(fired.isEmpty, "\(format): a rule fired")
            var sent = lines.filter { $0.contains("command sent") }
            XCTAssertFalse(sent.isEmpty, "\(format): a command was sent")
            let moved = lines.filter { $0.contains("command finished") || $0.contains("command progress") }
            XCTAssertFalse(moved.isEmpty, "\(format): a command moved on")
            sent += moved
            switch format {
            case .json:
                for line in lines {
                    XCTAssertNotNil(try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], line)
                }
                for line in fired + sent {
                    let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                    for key in ["vin", "bundle", "rule"] { XCTAssertNotNil(object[key] as? String, "\(key) in \(line)") }
                    XCTAssertTrue((object["rule"] as? String)?.hasPrefix("\(object["bundle"] as? String ?? "?")/") == true, line)
                }
                for line in sent {
                    XCTAssertNotNil(try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])["actionId"], line)
                }
            default:
                for line in lines { XCTAssertTrue(line.hasPrefix("time=") && line.contains(" level="), line) }
                for line in fired + sent {
                    for key in [" vin=", " bundle=", " rule="] { XCTAssertTrue(line.contains(key), "\(key) in \(line)") }
                }
                for line in sent { XCTAssertTrue(line.contains(" actionId="), line) }
            }
        }
    }
}
