import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A request as the test server saw it.
struct RecordedRequest: Sendable {
    var method: String
    var path: String
    var query: [String: String]
    /// Header names lowercased.
    var headers: [String: String]
    var body: Data

    var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
}

/// What the test server answers.
struct ScriptedResponse: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var body: String = ""
    /// When set, the answer is held until the gate opens (an answer "lost" to a client deadline).
    var holdUntil: Gate? = nil

    static func json(_ status: Int, _ body: String, headers: [(String, String)] = []) -> ScriptedResponse {
        ScriptedResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: body)
    }
}

/// A latch: `wait()` suspends until `open()` (never a timed sleep).
actor Gate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters = []
    }
}

/// A tiny Hummingbird 2 server on 127.0.0.1, port 0, whose every answer comes from a
/// test-supplied handler; it records the requests it received.
final class FaultServer: Sendable {
    typealias Handler = @Sendable (RecordedRequest) async -> ScriptedResponse

    private struct State {
        var recorded: [RecordedRequest] = []
        var task: Task<Void, Error>?
        var gates: [Gate] = []
        var port = 0
    }

    private let state = Mutex(State())

    var port: Int { state.withLock { $0.port } }
    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)/connectedcar/v4")! }
    var requests: [RecordedRequest] { state.withLock { $0.recorded } }

    func requests(_ method: String, _ pathSuffix: String) -> [RecordedRequest] {
        requests.filter { $0.method == method && $0.path.hasSuffix(pathSuffix) }
    }

    static func start(_ handler: @escaping Handler) async throws -> FaultServer {
        let server = FaultServer()
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            try await server.respond(request, handler)
        }
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) },
            logger: Logger(label: "fault-server"))
        let task = Task { try await app.run() }
        server.state.withLock { $0.task = task }
        for await port in portStream {
            server.state.withLock { $0.port = port }
            break
        }
        return server
    }

    private func respond(_ request: Request, _ handler: Handler) async throws -> Response {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value).removingPercentEncoding }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
        let recordedRequest = RecordedRequest(method: request.method.rawValue, path: request.uri.path, query: query,
                                              headers: headers, body: Data(buffer.readableBytesView))
        state.withLock { $0.recorded.append(recordedRequest) }
        let scripted = await handler(recordedRequest)
        if let gate = scripted.holdUntil {
            state.withLock { $0.gates.append(gate) }
            await gate.wait()
        }
        var fields = HTTPFields()
        for (name, value) in scripted.headers { fields[HTTPField.Name(name)!] = value }
        return Response(status: .init(code: scripted.status), headers: fields,
                        body: .init(byteBuffer: ByteBuffer(string: scripted.body)))
    }

    /// Releases held answers and stops the server.
    func stop() async {
        let (gates, task) = state.withLock { ($0.gates, $0.task) }
        for gate in gates { await gate.open() }
        task?.cancel()
        _ = try? await task?.value
    }
}
