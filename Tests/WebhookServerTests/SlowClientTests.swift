import Foundation
import Hummingbird
import HummingbirdTesting
import OutcomeStore
import WebhookServer
import XCTest

/// Slow-loris clients against a live receiver (`WebhookConfiguration.httpServer`): a
/// client that never finishes its request head is cut after `idleTimeout`, one that
/// dribbles its body a byte at a time after `requestTimeout`; meanwhile the receiver
/// keeps answering everyone else, and nothing of the slow requests is stored.
final class SlowClientTests: XCTestCase {
    private static let secret = "slow-Secret-00112233445566"

    func testSlowClientsAreCutOffWhileOthersAreServed() async throws {
        let store = try OutcomeDatabase.inMemory()
        let configuration = WebhookConfiguration(secret: Self.secret, host: "127.0.0.1", port: 0,
                                                 idleTimeout: .seconds(1), requestTimeout: .seconds(2))
        let app = Application(router: buildRouter(configuration: configuration, committer: InboxCommitter(database: store)),
                              server: configuration.httpServer,
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try XCTUnwrap(client.port)
            let head = "POST /webhook/\(Self.secret) HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            // 10 clients that never finish their head, 10 that dribble a 500-byte body.
            let headDribblers = try (0..<10).map { _ in try RawSocket(port: port) }
            let bodyDribblers = try (0..<10).map { _ in try RawSocket(port: port) }
            for socket in headDribblers { socket.send(String(head.prefix(20))) }
            for socket in bodyDribblers { socket.send(head + "Content-Length: 500\r\n\r\n[") }
            let started = Date()
            let dribbling = Task.detached {
                // One byte every 200 ms: well inside the idle timeout, so only the request
                // deadline can end these.
                for _ in 0..<40 {
                    try await Task.sleep(for: .milliseconds(200))
                    for socket in bodyDribblers { socket.send(" ") }
                }
            }
            // Everyone else is served meanwhile.
            for level in 0..<20 {
                let status = try await client.execute(uri: "/webhook/\(Self.secret)", method: .post,
                                                      headers: [.contentType: "application/json"],
                                                      body: ByteBuffer(string: SampleMessages.monitor(level: "\(level)"))) {
                    $0.status
                }
                XCTAssertEqual(status, .ok)
            }
            XCTAssertLessThan(Date().timeIntervalSince(started), 1.5, "normal requests were not held up")
            for socket in headDribblers {
                XCTAssertNotNil(socket.waitForClose(timeout: 5), "a client that never finished its head was not cut off")
            }
            for socket in bodyDribblers {
                XCTAssertNotNil(socket.waitForClose(timeout: 5), "a client dribbling its body was not cut off")
            }
            let elapsed = Date().timeIntervalSince(started)
            XCTAssertGreaterThan(elapsed, 1.5, "cut off only after the request timeout")
            XCTAssertLessThan(elapsed, 6, "cut off well before the dribbled body could end (8 s)")
            dribbling.cancel()
        }
        XCTAssertEqual(try store.inbox().count, 20)
        XCTAssertEqual(try store.deadLetters().count, 0, "nothing of the slow requests is stored")
    }

    func testAnIdleKeepAliveConnectionIsClosed() async throws {
        let store = try OutcomeDatabase.inMemory()
        let configuration = WebhookConfiguration(secret: Self.secret, port: 0, idleTimeout: .seconds(1))
        let app = Application(router: buildRouter(configuration: configuration, committer: InboxCommitter(database: store)),
                              server: configuration.httpServer,
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let socket = try RawSocket(port: try XCTUnwrap(client.port))
            let body = SampleMessages.monitor()
            socket.send("POST /webhook/\(Self.secret) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: \(body.utf8.count)\r\n\r\n" + body)
            let started = Date()
            let answer = try XCTUnwrap(socket.waitForClose(timeout: 5), "the idle connection stayed open")
            XCTAssertTrue(answer.hasPrefix("HTTP/1.1 200"), answer)
            XCTAssertGreaterThan(Date().timeIntervalSince(started), 0.5)
        }
        XCTAssertEqual(try store.inbox().count, 1)
    }
}
