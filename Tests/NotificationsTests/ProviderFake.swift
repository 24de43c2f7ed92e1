import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A request as a local fake of a provider received it.
struct RecordedRequest: Sendable {
    var method: String
    var path: String
    var query: String
    /// Names lower-cased.
    var headers: [String: String]
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object (fails the caller's unwrap when it is not one).
    var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] }

    /// The body as `application/x-www-form-urlencoded` pairs, decoded independently of the
    /// channel's encoder (`+` is a space, `%XX` a byte).
    var form: [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "<bad>"
            }
            out[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return out
    }
}

/// What the fake answers, in turn (the last one repeats).
struct FakeReply: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var body: String = ""

    static func json(_ status: Int, _ body: String, headers: [(String, String)] = []) -> FakeReply {
        FakeReply(status: status, headers: [("Content-Type", "application/json")] + headers, body: body)
    }
}

actor FakeLog {
    private(set) var requests: [RecordedRequest] = []
    private var replies: [FakeReply]

    init(replies: [FakeReply]) { self.replies = replies }

    struct NoRequest: Error {}

    /// The first request received (throws when none came).
    func firstRequest() throws -> RecordedRequest {
        guard let first = requests.first else { throw NoRequest() }
        return first
    }

    func record(_ request: RecordedRequest) -> FakeReply {
        requests.append(request)
        return replies.count > 1 ? replies.removeFirst() : replies[0]
    }
}

/// Runs `body` with a provider fake listening on 127.0.0.1 (an ephemeral port), recording
/// every request and answering `replies` in turn.
func withProviderFake(_ replies: [FakeReply] = [FakeReply(status: 200, body: "ok")],
                      _ body: @Sendable (URL, FakeLog) async throws -> Void) async throws {
    let log = FakeLog(replies: replies)
    let responder = CallbackResponder<BasicRequestContext> { request, _ in
        let collected = try await request.body.collect(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
        let recorded = RecordedRequest(method: request.method.rawValue, path: request.uri.path,
                                       query: request.uri.query ?? "", headers: headers,
                                       body: Array(collected.readableBytesView))
        let reply = await log.record(recorded)
        var fields = HTTPFields()
        for (name, value) in reply.headers { fields[HTTPField.Name(name)!] = value }
        return Response(status: .init(code: reply.status), headers: fields,
                        body: .init(byteBuffer: ByteBuffer(string: reply.body)))
    }
    let app = Application(responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    try await app.test(.live) { client in
        guard let port = client.port else { throw CocoaError(.featureUnsupported) }
        try await body(URL(string: "http://127.0.0.1:\(port)")!, log)
    }
}
